/**
 * A backend failure, classified where it happens so the router and the task
 * engine never parse messages. `retryable` failures send the router to the
 * next candidate; the others (the caller's own abort) end the request.
 */
export type ProviderErrorKind =
  | 'connection' // refused, reset, DNS: the node is down
  | 'not_found' // the model is not on this node
  | 'runner_terminated' // "llama runner process has terminated": the runner died; not out of memory unless the text says so
  | 'oom' // Metal / CUDA out of memory, "failed to allocate context"
  | 'timeout'
  | 'stream_interrupted' // the answer stopped (socket cut, early end) after it had begun
  | 'bad_response' // a body that does not follow the protocol
  | 'server_error' // any other 5xx, or an error line in the middle of an answer
  | 'http' // any other non-2xx
  | 'aborted' // the caller gave up

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status: number | null = null,
    /** The backend's own words ("llama runner process has terminated: signal: killed"), when it gave any. */
    readonly detail: string | null = null
  ) {
    super(message)
    this.name = 'ProviderError'
  }
}

const OOM_PATTERNS = [
  /out of memory/i,
  /failed to allocate/i,
  /insufficient memory/i,
  /MTLCommandBuffer.*(Insufficient|OutOfMemory)/i,
  /kIOGPUCommandBufferCallbackErrorOutOfMemory/i
]
const RUNNER_PATTERNS = [/llama runner process has terminated/i, /runner process no longer running/i, /GGML_ASSERT/i]

/**
 * Classifies a backend's error text: an HTTP error body (with its status) or an error line in the
 * middle of an answer (status null: the server failed while answering). Out of memory only when the
 * text says so; a runner that terminated is its own kind.
 */
export function classifyBackendMessage(message: string, status: number | null): ProviderErrorKind {
  if (OOM_PATTERNS.some((p) => p.test(message))) return 'oom'
  if (RUNNER_PATTERNS.some((p) => p.test(message))) return 'runner_terminated'
  if (status === 404 || /model .* not found|not found, try pulling/i.test(message)) return 'not_found'
  if (status === null || status >= 500) return 'server_error'
  return 'http'
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'EPIPE'
])

/** Turns whatever fetch or a client library threw into a ProviderError. */
export function toProviderError(error: unknown, signal: AbortSignal, where: string): ProviderError {
  if (error instanceof ProviderError) return error
  if (signal.aborted) {
    const reason: unknown = signal.reason
    if (reason instanceof ProviderError) return reason
    return new ProviderError('aborted', `${where}: the request was cancelled`)
  }
  const code = errorCode(error)
  const message = error instanceof Error ? error.message : String(error)
  if (code && CONNECTION_CODES.has(code)) return new ProviderError('connection', `${where} is unreachable (${code})`)
  if (/fetch failed|socket hang up|other side closed|terminated/i.test(message) && !/runner/i.test(message)) {
    const cause = (error as { cause?: unknown }).cause
    const detail = code ?? (cause instanceof Error ? cause.message : message)
    return new ProviderError('connection', `${where}: the connection failed (${detail})`)
  }
  const kind = classifyBackendMessage(message, null)
  return new ProviderError(kind === 'server_error' ? 'http' : kind, `${where}: ${message}`)
}

/**
 * A failure while reading an answer that had begun: a cut socket is the stream interrupted, not the
 * node unreachable (it answered a moment ago).
 */
export function midStreamError(error: unknown, signal: AbortSignal, where: string): ProviderError {
  const e = toProviderError(error, signal, where)
  if (e.kind !== 'connection') return e
  const cause = (error as { cause?: unknown } | null)?.cause
  const detail =
    errorCode(error) ??
    (cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error))
  return new ProviderError('stream_interrupted', `${where}: the answer was cut off mid-stream (${detail})`)
}

function errorCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
    e = (e as { cause?: unknown }).cause
  }
  return null
}
