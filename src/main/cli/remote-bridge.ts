import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { WebSocket } from 'ws'
import { rpcError, type CallResult } from '../../shared/contract/rpc-error'
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
        const response = await post(
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

/**
 * One call on a connection of its own. A pooled connection (fetch's) that the host closes as idle
 * just as the next call goes out on it fails that call ("other side closed"), which a command that
 * lives on (an MCP session, a watch) would report as a host that did not answer. On loopback a new
 * connection costs a fraction of a millisecond.
 */
function post(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = send(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
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
