import type { IncomingMessage, ServerResponse } from 'node:http'
import { FRAME_LIMIT_BYTES, callMaxBytes, tooLarge } from '../../../shared/contract/limits'
import { HTTP_STATUS_OF, type CallResult } from '../../../shared/contract/rpc-error'
import type { Dispatcher } from '../../rpc/dispatcher'
import type { Authentication } from './access'
import type { CallGate } from './call-gate'

type Body = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } | { readonly ok: false; readonly tooLarge: number }

/** How long a refused body may keep arriving, thrown away, before its connection is cut. */
const DRAIN_MS = 5000

/**
 * `POST /api/call/<name>`: the gate first (rate limit, load), then the body,
 * read only up to the call's own limit. A reply sent before the body was read
 * to its end closes the connection (Connection: close) and drains what is
 * still coming, so the client sees the reply and its next request, on a new
 * connection, works at once.
 */
export async function serveApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  auth: Extract<Authentication, { ok: true }>,
  deps: { readonly dispatcher: Dispatcher; readonly gate: CallGate }
): Promise<void> {
  const caller = { scopes: auth.scopes, transport: 'http' as const }
  const admission = deps.gate.admit(auth.principal, name)
  if (!admission.ok) return sendResult(req, res, deps.dispatcher.reject(admission.error, caller, null).result)
  try {
    const limit = Math.min(callMaxBytes(name), FRAME_LIMIT_BYTES)
    const declared = Number(req.headers['content-length'] ?? 0)
    const body: Body = declared > limit ? { ok: false, tooLarge: declared } : await readBody(req, limit)
    if (!body.ok) {
      const refusal = 'tooLarge' in body ? deps.dispatcher.reject(tooLarge(name, body.tooLarge), caller, null) : deps.dispatcher.rejectUndecodable(body.reason, caller)
      return sendResult(req, res, refusal.result)
    }
    sendResult(req, res, await deps.dispatcher.call(name, body.value, caller))
  } finally {
    admission.release()
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      req.off('data', onData)
      req.off('end', onEnd)
      chunks.length = 0
      resolve({ ok: false, tooLarge: size })
    }
    const onEnd = (): void => {
      const text = Buffer.concat(chunks).toString('utf8')
      if (text.trim() === '') return resolve({ ok: true, value: {} })
      try {
        resolve({ ok: true, value: JSON.parse(text) })
      } catch (error) {
        resolve({ ok: false, reason: `not JSON (${(error as Error).message.slice(0, 120)})` })
      }
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', () => resolve({ ok: false, reason: 'the request was cut off' }))
  })
}

export function sendResult(req: IncomingMessage, res: ServerResponse, result: CallResult<unknown>): void {
  if (!result.ok && result.error.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(result.error.retryAfterMs / 1000))))
  if (!req.complete) closeAfterReply(req, res)
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.writeHead(result.ok ? 200 : HTTP_STATUS_OF[result.error.code]).end(JSON.stringify(result))
}

/** The rest of the body is thrown away as it comes; the connection ends after the reply, or is cut if the client keeps sending. */
function closeAfterReply(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close')
  req.resume()
  const cut = setTimeout(() => req.socket.destroy(), DRAIN_MS)
  cut.unref()
  req.socket.once('close', () => clearTimeout(cut))
}
