import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

/**
 * Streamed POSTs to one backend over node:http with its own kept-alive connections, the body
 * handed out line by line (Ollama's NDJSON, an OpenAI-compatible server's events). Used for the
 * answers the router streams, where fetch cost the first token most of what the router added:
 * in one interleaved run of 500 requests each against the fake server, fetch + web streams + the
 * official client's two async generators took 1.75 ms to the first token (CPU 1.06 ms) and this
 * path 0.81 ms (CPU 0.54).
 */
export interface LineStreams {
  /**
   * Sends `body` as JSON to `path` (under the base URL's own path) and tells `reader` what comes
   * back. Returns a function that cuts the request (nothing more is told to the reader after it).
   */
  post(
    path: string,
    body: string,
    signal: AbortSignal,
    reader: LineReader,
    headers?: Readonly<Record<string, string>>
  ): () => void
}

export interface LineReader {
  /** A non-2xx answer, with its body as text (at most MAX_ERROR_BODY characters). */
  refused(status: number, statusText: string, body: string, contentType: string): void
  /**
   * One line of a 2xx body, without its line end, blank lines included (they end SSE events).
   * `false` stops the reading (the rest is drained unread, so the connection is kept); a line it
   * throws on ends the request with that error.
   */
  line(text: string): boolean
  /** The body ended; its last line, if it had no line end, was told first. */
  ended(): void
  /** The request failed: refused, reset, cut, or aborted by the signal. `answering`: after a 2xx status came. */
  failed(error: unknown, answering: boolean): void
}

/** A line longer than this is no NDJSON a backend sends: the request fails rather than buffer without end. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024
/**
 * A kept connection unused this long is closed: Ollama keeps idle connections open for as long as
 * the client does, and a node whose URL changed leaves its connections behind.
 */
export const IDLE_CONNECTION_MS = 60_000
/** Enough of an error body for its message; the rest is not kept. */
const MAX_ERROR_BODY = 64 * 1024

export class LineTooLongError extends Error {
  constructor(limit: number) {
    super(`a line of the answer is longer than ${limit} characters`)
    this.name = 'LineTooLongError'
  }
}

/** The limits are MAX_LINE_CHARS and IDLE_CONNECTION_MS but where a test lowers them. */
export function lineStreams(
  baseUrl: string,
  { maxLineChars = MAX_LINE_CHARS, idleMs = IDLE_CONNECTION_MS }: { maxLineChars?: number; idleMs?: number } = {}
): LineStreams {
  const base = new URL(baseUrl)
  const secure = base.protocol === 'https:'
  // `timeout` closes a connection left idle in the pool; on one in use it only emits an event nobody acts on.
  const pool = { keepAlive: true, timeout: idleMs }
  const agent = secure ? new HttpsAgent(pool) : new HttpAgent(pool)
  const send = secure ? httpsRequest : httpRequest
  const prefix = base.pathname.replace(/\/+$/, '')
  const auth = base.username ? `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}` : undefined
  const target = {
    hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: base.port || (secure ? 443 : 80),
    method: 'POST',
    agent,
    ...(auth ? { auth } : {})
  }

  function post(
    path: string,
    body: string,
    signal: AbortSignal,
    reader: LineReader,
    headers: Readonly<Record<string, string>> | undefined,
    retry: boolean
  ): () => void {
    let done = false
    let answering = false
    let again: (() => void) | null = null
    const finish = (): boolean => {
      if (done) return false
      done = true
      signal.removeEventListener('abort', onAbort)
      return true
    }
    function onAbort(): void {
      if (!finish()) return
      req.destroy()
      reader.failed(signal.reason, answering)
    }
    if (signal.aborted) {
      reader.failed(signal.reason, false)
      return () => undefined
    }
    const req: ClientRequest = send({
      ...target,
      path: prefix + path,
      headers: {
        'content-type': 'application/json',
        accept: 'application/x-ndjson, text/event-stream, application/json',
        'content-length': Buffer.byteLength(body),
        ...headers
      }
    })
    req.on('error', (error) => {
      if (!finish()) return
      // A kept-alive connection the server closed while it sat idle: the request never reached it,
      // so it goes once more on a new connection (as node:http's documentation advises).
      if (retry && !answering && req.reusedSocket && (error as { code?: unknown }).code === 'ECONNRESET')
        again = post(path, body, signal, reader, headers, false)
      else reader.failed(error, answering)
    })
    req.on('response', (res) => {
      const status = res.statusCode ?? 0
      if (status >= 200 && status < 300) lines(res)
      else refused(res)
    })

    function refused(res: IncomingMessage): void {
      res.setEncoding('utf8')
      let text = ''
      res.on('data', (chunk: string) => {
        if (text.length < MAX_ERROR_BODY) text += chunk.slice(0, MAX_ERROR_BODY - text.length)
      })
      res.on('error', (error) => {
        if (finish()) reader.failed(error, false)
      })
      res.on('end', () => {
        if (finish())
          reader.refused(res.statusCode ?? 0, res.statusMessage ?? '', text, String(res.headers['content-type'] ?? ''))
      })
    }

    function lines(res: IncomingMessage): void {
      answering = true
      res.setEncoding('utf8')
      let buffer = ''
      // A line the reader refuses (it throws) ends the request with the reader's own error.
      const tell = (line: string): boolean => {
        try {
          return reader.line(line)
        } catch (error) {
          if (finish()) reader.failed(error, true)
          req.destroy()
          return false
        }
      }
      res.on('data', (chunk: string) => {
        if (done) return
        let text = buffer === '' ? chunk : buffer + chunk
        let start = 0
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
          const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end)
          start = end + 1
          // false: the reader has what it needs; the connection goes back to the pool once the body is drained.
          if (!tell(line)) return void finish()
          if (done) return
        }
        text = start === 0 ? text : text.slice(start)
        if (text.length > maxLineChars) {
          if (finish()) reader.failed(new LineTooLongError(maxLineChars), true)
          req.destroy()
          return
        }
        buffer = text
      })
      res.on('error', (error) => {
        if (finish()) reader.failed(error, true)
      })
      res.on('end', () => {
        if (done) return
        if (buffer !== '' && !tell(buffer)) return void finish()
        if (finish()) reader.ended()
      })
      // A socket cut mid-body, in case no error reaches the response itself.
      res.on('close', () => {
        if (!res.complete && finish()) reader.failed(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), true)
      })
    }

    signal.addEventListener('abort', onAbort, { once: true })
    req.end(body)
    return () => {
      if (again) return again()
      if (finish()) req.destroy()
    }
  }

  return { post: (path, body, signal, reader, headers) => post(path, body, signal, reader, headers, true) }
}
