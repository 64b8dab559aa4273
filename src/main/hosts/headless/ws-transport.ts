import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { Scope } from '../../../shared/contract/define'
import type { EventFrame, ServerFrame } from '../../../shared/contract/wire'
import type { Dispatcher } from '../../rpc/dispatcher'

export const MAX_FRAME_BYTES = 1024 * 1024
const PING_INTERVAL_MS = 30_000

export interface WsTransport {
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, scopes: ReadonlySet<Scope>): void
  broadcast(frame: EventFrame): void
  close(): void
}

/** Carries contract frames over WebSocket text messages, one JSON object each. */
export function createWsTransport(dispatcher: Dispatcher): WsTransport {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const alive = new WeakSet<WebSocket>()

  const send = (socket: WebSocket, frame: ServerFrame): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
  }

  const onMessage = async (socket: WebSocket, data: RawData, isBinary: boolean, scopes: ReadonlySet<Scope>): Promise<void> => {
    const caller = { scopes, transport: 'ws' as const }
    if (isBinary) return send(socket, dispatcher.rejectUndecodable('binary frames are not accepted', caller))
    let frame: unknown
    try {
      frame = JSON.parse(data.toString())
    } catch (error) {
      return send(socket, dispatcher.rejectUndecodable(`not JSON (${(error as Error).message})`, caller))
    }
    send(socket, await dispatcher.handleFrame(frame, caller))
  }

  const pinger = setInterval(() => {
    for (const socket of server.clients) {
      if (!alive.has(socket)) {
        socket.terminate()
        continue
      }
      alive.delete(socket)
      socket.ping()
    }
  }, PING_INTERVAL_MS)
  pinger.unref()

  return {
    accept(req, socket, head, scopes) {
      server.handleUpgrade(req, socket, head, (ws) => {
        alive.add(ws)
        ws.on('pong', () => alive.add(ws))
        ws.on('message', (data, isBinary) => void onMessage(ws, data, isBinary, scopes))
      })
    },
    broadcast(frame) {
      // With no window open there is nothing to serialise for.
      if (server.clients.size === 0) return
      const text = JSON.stringify(frame)
      for (const socket of server.clients) if (socket.readyState === socket.OPEN) socket.send(text)
    },
    close() {
      clearInterval(pinger)
      for (const socket of server.clients) socket.terminate()
      server.close()
    }
  }
}
