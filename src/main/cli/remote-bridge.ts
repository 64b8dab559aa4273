import { WebSocket } from 'ws'
import { rpcError, type CallResult } from '../../shared/contract/rpc-error'
import { postOnOwnConnection } from '../platform/post-on-own-connection'
import type { ConnectionStatus, EventFrame, KosBridge } from '../../shared/contract/wire'

/**
 * The bridge a `kos` command uses to reach a running host: calls go to its
 * HTTP API, events come over its WebSocket, opened when the first listener
 * subscribes. Like the renderer's bridges it never rejects: a host that does
 * not answer is `unavailable`.
 */
export function remoteBridge(origin: string, token: string): KosBridge & { close(): void } {
  const headers = { Authorization: `Bearer ${token}` }
  const eventListeners = new Set<(event: EventFrame) => void>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  let status: ConnectionStatus = 'disconnected'
  let socket: WebSocket | null = null

  const setStatus = (next: ConnectionStatus): void => {
    status = next
    for (const listener of statusListeners) listener(next)
  }

  const open = (): void => {
    if (socket) return
    setStatus('connecting')
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/rpc`, { headers })
    socket = ws
    ws.on('open', () => setStatus('connected'))
    ws.on('unexpected-response', (_request, response) => {
      setStatus(response.statusCode === 401 || response.statusCode === 403 ? 'unauthorized' : 'disconnected')
      ws.terminate()
    })
    ws.on('error', () => setStatus('disconnected'))
    ws.on('close', () => {
      if (status !== 'unauthorized') setStatus('disconnected')
    })
    ws.on('message', (data) => {
      let frame: unknown
      try {
        frame = JSON.parse(data.toString())
      } catch {
        return
      }
      if (isEventFrame(frame)) for (const listener of eventListeners) listener(frame)
    })
  }

  return {
    async call(name, input): Promise<CallResult<unknown>> {
      try {
        // A connection per call: a command that lives on (an MCP session, a watch) would otherwise see a pooled
        // connection the host closed as idle fail its next call as a host that did not answer.
        const response = await postOnOwnConnection(
          `${origin}/api/call/${encodeURIComponent(name)}`,
          headers,
          JSON.stringify(input ?? {})
        )
        const body: unknown = JSON.parse(response.text)
        return isCallResult(body)
          ? body
          : {
              ok: false,
              error: rpcError(
                'unavailable',
                `The running host at ${origin} answered ${name} with something that is not a call result (HTTP ${response.status}).`
              )
            }
      } catch (error) {
        return {
          ok: false,
          error: rpcError(
            'unavailable',
            `The running host at ${origin} did not answer (${error instanceof Error ? error.message : String(error)}).`
          )
        }
      }
    },
    onEvent(listener) {
      eventListeners.add(listener)
      open()
      return () => eventListeners.delete(listener)
    },
    onStatus(listener) {
      statusListeners.add(listener)
      listener(status)
      return () => statusListeners.delete(listener)
    },
    close() {
      socket?.close()
    }
  }
}

function isEventFrame(frame: unknown): frame is EventFrame {
  return (
    typeof frame === 'object' &&
    frame !== null &&
    'type' in frame &&
    frame.type === 'event' &&
    'name' in frame &&
    typeof frame.name === 'string' &&
    'payload' in frame
  )
}

function isCallResult(body: unknown): body is CallResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false
  if (body.ok === true) return 'value' in body
  return body.ok === false && 'error' in body && typeof body.error === 'object' && body.error !== null
}
