import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { CALLS } from '../../../shared/contract/contract'
import type { Scope } from '../../../shared/contract/define'
import { FRAME_LIMIT_BYTES, callMaxBytes, tooLarge } from '../../../shared/contract/limits'
import type { EventFrame, ServerFrame } from '../../../shared/contract/wire'
import type { Logger } from '../../log/logger'
import { idOf, type Dispatcher } from '../../rpc/dispatcher'
import type { Authentication } from './access'
import type { CallGate } from './call-gate'
import { createChangeCoalescer } from './coalesced-changes'

const PING_INTERVAL_MS = 30_000

/** The largest frame any call open to these scopes takes: a read-only socket never needs more than 1 MB parsed. */
function largestFrameFor(scopes: ReadonlySet<Scope>): number {
  return Math.max(...Object.entries(CALLS).map(([name, spec]) => (scopes.has(spec.scope) ? callMaxBytes(name) : 0)))
}

export interface WsTransport {
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, auth: Extract<Authentication, { ok: true }>): void
  broadcast(frame: EventFrame): void
  close(): void
}

/**
 * Carries contract frames over WebSocket text messages, one JSON object each.
 * A frame the protocol itself refuses (over the frame limit, invalid UTF-8, a
 * reserved opcode) closes that one socket with 1009, 1007 or 1002: the ws
 * library picks the code and reports it on the socket's 'error' event, which
 * must be handled or the whole process goes down.
 */
export function createWsTransport(dispatcher: Dispatcher, gate: CallGate, log: Logger): WsTransport {
  const server = new WebSocketServer({ noServer: true, maxPayload: FRAME_LIMIT_BYTES })
  const alive = new WeakSet<WebSocket>()

  const sendToAll = (frame: EventFrame): void => {
    const text = JSON.stringify(frame)
    for (const socket of server.clients) if (socket.readyState === socket.OPEN) socket.send(text)
  }
  const changes = createChangeCoalescer(sendToAll)

  const send = (socket: WebSocket, frame: ServerFrame): void => {
    changes.flush()
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
  }

  const onMessage = async (
    socket: WebSocket,
    data: RawData,
    isBinary: boolean,
    auth: Extract<Authentication, { ok: true }>,
    largest: number
  ): Promise<void> => {
    const caller = { scopes: auth.scopes, transport: 'ws' as const }
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength
    // Larger than any call this token may make: refused unread, so nobody makes the host parse 16 MB for nothing.
    const unread = bytes > largest || isBinary
    let frame: unknown = null
    let notJson: string | null = null
    if (!unread) {
      try {
        frame = JSON.parse(data.toString())
      } catch (error) {
        notJson = `not JSON (${(error as Error).message.slice(0, 120)})`
      }
    }
    const name = typeof (frame as { name?: unknown } | null)?.name === 'string' ? (frame as { name: string }).name : ''
    const admission = gate.admit(auth.principal, name)
    if (!admission.ok) return send(socket, dispatcher.reject(admission.error, caller, idOf(frame)))
    try {
      if (bytes > largest) return send(socket, dispatcher.reject(tooLarge('', bytes, largest), caller, null))
      if (isBinary) return send(socket, dispatcher.rejectUndecodable('binary frames are not accepted', caller))
      if (notJson !== null) return send(socket, dispatcher.rejectUndecodable(notJson, caller))
      if (bytes > callMaxBytes(name)) return send(socket, dispatcher.reject(tooLarge(name, bytes), caller, idOf(frame)))
      send(socket, await dispatcher.handleFrame(frame, caller))
    } finally {
      admission.release()
    }
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
    accept(req, socket, head, auth) {
      const largest = largestFrameFor(auth.scopes)
      server.handleUpgrade(req, socket, head, (ws) => {
        alive.add(ws)
        ws.on('error', (error: Error & { code?: string }) => {
          log.warn('websocket closed on a frame it could not take', {
            code: error.code,
            reason: error.message.slice(0, 200),
            principal: auth.principal
          })
        })
        ws.on('pong', () => alive.add(ws))
        ws.on('message', (data, isBinary) => {
          onMessage(ws, data, isBinary, auth, largest).catch((error: unknown) =>
            log.error('websocket message failed', { error })
          )
        })
      })
    },
    broadcast(frame) {
      // With no window open there is nothing to merge or serialise for.
      if (server.clients.size === 0) return changes.drop()
      changes.push(frame)
    },
    close() {
      clearInterval(pinger)
      changes.drop()
      for (const socket of server.clients) socket.terminate()
      server.close()
    }
  }
}
