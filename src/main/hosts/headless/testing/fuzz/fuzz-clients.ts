import { request, Agent } from 'node:http'
import { connect } from 'node:net'
import { WebSocket } from 'ws'
import { RPC_ERROR_CODES } from '../../../../../shared/contract/rpc-error'
import type { Wire } from './hostile-payloads'

/** What became of one payload. A crash is any payload the host did not answer in a typed way. */
export type Outcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'typed'; readonly code: string }
  /** The transport itself refused it: a WebSocket close code, or the HTTP parser's 400. */
  | { readonly kind: 'closed'; readonly code: string }
  | { readonly kind: 'crash'; readonly reason: string }

const ANSWER_TIMEOUT_MS = 20_000
const CODES: ReadonlySet<string> = new Set(RPC_ERROR_CODES)

export function classify(result: unknown): Outcome {
  const r = result as { ok?: unknown; error?: { code?: unknown } } | null
  if (r?.ok === true) return { kind: 'accepted' }
  if (r?.ok === false && typeof r.error?.code === 'string' && CODES.has(r.error.code))
    return { kind: 'typed', code: r.error.code }
  return { kind: 'crash', reason: `untyped answer ${JSON.stringify(result).slice(0, 200)}` }
}

/** POST /api/call/<name> over one keep-alive connection pool. */
export function httpClient(origin: string, token: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 })
  const post = (name: string, body: Wire, retried = false): Promise<Outcome> =>
    new Promise((resolve) => {
      const req = request(
        `${origin}/api/call/${encodeURIComponent(name)}`,
        { method: 'POST', agent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            try {
              resolve(classify(JSON.parse(Buffer.concat(chunks).toString())))
            } catch {
              resolve({ kind: 'crash', reason: `HTTP ${res.statusCode} without a typed body` })
            }
          })
        }
      )
      req.setTimeout(ANSWER_TIMEOUT_MS, () => {
        req.destroy()
        resolve({ kind: 'crash', reason: 'no answer in time' })
      })
      // The host may stop reading an oversized body and answer before this side is done writing.
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed as idle just as it was reused: HTTP says to send again (as Node's docs do).
        if (error.code === 'ECONNRESET' && req.reusedSocket && !retried)
          return void post(name, body, true).then(resolve)
        resolve({ kind: 'crash', reason: `HTTP ${error.code ?? error.message}` })
      })
      req.end(body.kind === 'text' ? body.text : body.bytes)
    })
  return { post, close: () => agent.destroy() }
}

/** A request line no HTTP parser takes: the server must answer 400 and go on. */
export function rawHttp(origin: string, bytes: string): Promise<Outcome> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    let answer = ''
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => {
      socket.destroy()
      resolve({ kind: 'crash', reason: 'no answer to a garbled request in time' })
    })
    socket.on('data', (c: Buffer) => (answer += c.toString()))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]
      resolve(
        status && status.startsWith('4')
          ? { kind: 'closed', code: `http-${status}` }
          : { kind: 'crash', reason: `garbled request answered ${JSON.stringify(answer.slice(0, 80))}` }
      )
    })
    socket.end(bytes)
  })
}

/** One WebSocket per token, reopened whenever a hostile frame got it closed. */
export function wsClient(origin: string, token: string) {
  let socket: Promise<WebSocket> | null = null
  const waiting = new Map<number, (outcome: Outcome) => void>()
  let nextId = 1

  const open = (): Promise<WebSocket> =>
    (socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, {
        headers: { Authorization: `Bearer ${token}` },
        maxPayload: 64 * 1024 * 1024
      })
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
      ws.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as { type: string; id: unknown; result: unknown }
        if (frame.type !== 'result') return
        // A malformed frame's answer may carry no id, or the one written in the frame: those go one at a time.
        const known =
          typeof frame.id === 'number' && waiting.has(frame.id)
            ? frame.id
            : waiting.size === 1
              ? [...waiting.keys()][0]!
              : null
        if (known === null) return
        const done = waiting.get(known)!
        waiting.delete(known)
        done(classify(frame.result))
      })
      ws.on('close', (code) => {
        socket = null
        for (const [id, done] of waiting) {
          waiting.delete(id)
          done(
            code === 1009 || code === 1007 || code === 1002
              ? { kind: 'closed', code: `ws-${code}` }
              : { kind: 'crash', reason: `socket closed with ${code}` }
          )
        }
      })
    }))

  /**
   * Sends one frame and waits for its answer. Frames whose id the host cannot
   * read are answered with id null: they are sent one at a time.
   */
  const send = async (wire: Wire | ((id: number) => string), opcodeBytes?: Buffer): Promise<Outcome> => {
    let ws: WebSocket
    try {
      ws = await open()
    } catch (error) {
      return { kind: 'crash', reason: `cannot open a WebSocket: ${(error as Error).message}` }
    }
    const id = nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(id)
        resolve({ kind: 'crash', reason: 'no answer on the WebSocket in time' })
      }, ANSWER_TIMEOUT_MS)
      waiting.set(id, (outcome) => {
        clearTimeout(timer)
        resolve(outcome)
      })
      if (opcodeBytes) (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(opcodeBytes)
      else if (typeof wire === 'function') ws.send(wire(id))
      else if (wire.kind === 'text') ws.send(wire.text)
      else ws.send(wire.bytes, { binary: false })
    })
  }

  return {
    /** A well-formed call, many in flight at once. */
    call: (name: string, inputJson: string) =>
      send((id) => `{"type":"call","id":${id},"name":${JSON.stringify(name)},"input":${inputJson}}`),
    /** A malformed frame: alone in flight, since its answer carries no usable id. */
    raw: (wire: Wire) => send(wire),
    /** Bytes written under the WebSocket layer (a reserved opcode, a frame over the limit). */
    protocol: (bytes: Buffer) => send({ kind: 'text', text: '' }, bytes),
    close: async () => (await socket?.catch(() => null))?.close()
  }
}
