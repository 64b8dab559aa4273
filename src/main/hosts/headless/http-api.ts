import type { IncomingMessage, ServerResponse } from 'node:http'
import { FRAME_LIMIT_BYTES, callMaxBytes, tooLarge } from '../../../shared/contract/limits'
import { HTTP_STATUS_OF, type CallResult } from '../../../shared/contract/rpc-error'
import type { Dispatcher } from '../../rpc/dispatcher'
import type { Authentication } from './access'
import type { CallGate } from './call-gate'

type Body =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string }
  | { readonly ok: false; readonly tooLarge: number }

/** How long, and how much of, a refused body is read and thrown away before its connection is cut. */
const DRAIN_MS = 10_000
const DRAIN_MAX_BYTES = 4 * FRAME_LIMIT_BYTES

/**
 * `POST /api/call/<name>`: the gate first (rate limit, load), then the body,
 * read only up to the call's own limit. A refusal before the body was read
 * to its end first reads and throws away the rest (up to a bound), so the
 * client, done sending, reads the reply instead of a reset; the reply closes
 * the connection (Connection: close), and the client's next request, on a
 * new connection, works at once.
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
      const refusal =
        'tooLarge' in body
          ? deps.dispatcher.reject(tooLarge(name, body.tooLarge), caller, null)
          : deps.dispatcher.rejectUndecodable(body.reason, caller)
      return await sendResult(req, res, refusal.result)
    }
    await sendResult(req, res, await deps.dispatcher.call(name, body.value, caller))
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

async function sendResult(req: IncomingMessage, res: ServerResponse, result: CallResult<unknown>): Promise<void> {
  if (!result.ok && result.error.retryAfterMs !== undefined)
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(result.error.retryAfterMs / 1000))))
  if (!req.complete) {
    res.setHeader('Connection', 'close')
    // Past the bound the reply goes anyway and the socket is cut: a client still sending then sees a reset.
    if (!(await drain(req))) res.once('finish', () => req.socket.destroy())
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.writeHead(result.ok ? 200 : HTTP_STATUS_OF[result.error.code]).end(JSON.stringify(result))
}

/** Reads the rest of a request body into nothing; true once it ended within the bounds. */
function drain(req: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    let bytes = 0
    const finish = (ended: boolean): void => {
      clearTimeout(timer)
      req.off('data', onData)
      req.off('end', onEnd)
      resolve(ended)
    }
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length
      if (bytes > DRAIN_MAX_BYTES) finish(false)
    }
    const onEnd = (): void => finish(true)
    const timer = setTimeout(() => finish(false), DRAIN_MS)
    req.on('data', onData)
    req.once('end', onEnd)
    req.once('error', () => finish(false))
    if (req.complete || req.readableEnded) finish(true)
    req.resume()
  })
}
