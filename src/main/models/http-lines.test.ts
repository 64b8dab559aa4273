import fc from 'fast-check'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { LineTooLongError, lineStreams, type LineReader } from './http-lines'

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

/** A loopback server that counts its connections and tells when a request's socket closes. */
interface TestServer {
  readonly url: string
  connections: number
  readonly closed: Promise<void>[]
  close(): Promise<void>
}

let server: TestServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

async function serve(handler: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>()
  const closed: Promise<void>[] = []
  const http: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => handler(req, res, body))
  })
  // Like Ollama: idle connections are kept for as long as the client keeps them, with no Keep-Alive hint.
  http.keepAliveTimeout = 0
  const state = { connections: 0 }
  http.on('connection', (socket: Socket) => {
    state.connections++
    sockets.add(socket)
    closed.push(new Promise((r) => socket.on('close', () => r())))
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()))
  const address = http.address()
  if (!address || typeof address === 'string') throw new Error('no TCP address')
  return {
    url: `http://127.0.0.1:${address.port}/`,
    get connections() {
      return state.connections
    },
    closed,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        http.close(() => r())
      })
  }
}

/** What the reader was told, in order; resolves once the request is over. */
function record(stopAfter = Infinity): { reader: LineReader; over: Promise<string[]> } {
  const told: string[] = []
  let resolve: (t: string[]) => void = () => undefined
  const over = new Promise<string[]>((r) => (resolve = r))
  return {
    reader: {
      refused: (status, _statusText, body) => resolve([...told, `refused ${status}: ${body}`]),
      line(text) {
        told.push(text)
        if (told.length < stopAfter) return true
        resolve(told)
        return false
      },
      ended: () => resolve([...told, 'ended']),
      failed: (error, answering) =>
        resolve([
          ...told,
          `failed${answering ? ' answering' : ''}: ${error instanceof Error ? error.message : String(error)}`
        ])
    },
    over
  }
}

const signal = (): AbortSignal => new AbortController().signal

describe('line streams over kept-alive connections', () => {
  it('hands out every line whatever bytes the body is cut into, multibyte characters and CRLF included', async () => {
    let chunks: Buffer[] = []
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      for (const c of chunks) res.write(c)
      res.end()
    })
    const streams = lineStreams(server.url)
    const line = fc
      .array(fc.constantFrom('a', 'ж', '😀', '"', ' ', '{', '}', '7'), { maxLength: 12 })
      .map((cs) => `[${cs.join('')}]`)
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (lines, eol, trailing, cuts) => {
          const bytes = Buffer.from(lines.join(eol) + (trailing ? eol : ''), 'utf8')
          const at = [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b)
          chunks = [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length)).filter((c) => c.length > 0)
          const { reader, over } = record()
          streams.post('/api/chat', '{}', signal(), reader)
          expect(await over).toEqual([...lines, 'ended'])
        }
      ),
      { numRuns: 40 }
    )
  })

  it('sends the body as JSON under the base URL’s path, and reuses one connection for requests in turn', async () => {
    const seen: string[] = []
    server = await serve((req, res, body) => {
      seen.push(`${req.method} ${req.url} ${req.headers['content-type']} ${body}`)
      res.writeHead(200).end('{"n":1}\n')
    })
    const streams = lineStreams(`${server.url}base/`)
    for (let i = 0; i < 3; i++) {
      const { reader, over } = record()
      streams.post('/api/chat', `{"i":${i}}`, signal(), reader)
      expect(await over).toEqual(['{"n":1}', 'ended'])
    }
    expect(seen).toEqual([0, 1, 2].map((i) => `POST /base/api/chat application/json {"i":${i}}`))
    expect(server.connections).toBe(1)
  })

  it('sends a request again on a new connection when the kept-alive one was closed by the server', async () => {
    let requests = 0
    server = await serve((_req, res) => {
      // The second request arrives on the connection the first left open: the server drops it unanswered.
      if (++requests === 2) return void res.socket?.destroy()
      res.writeHead(200).end('{"ok":true}\n')
    })
    const streams = lineStreams(server.url)
    for (let i = 0; i < 2; i++) {
      const { reader, over } = record()
      streams.post('/api/chat', '{}', signal(), reader)
      expect(await over).toEqual(['{"ok":true}', 'ended'])
    }
    expect(requests).toBe(3)
    expect(server.connections).toBe(2)
  })

  it('says a fresh connection refused or reset before any answer failed, without trying again', async () => {
    let requests = 0
    server = await serve((_req, res) => {
      requests++
      res.socket?.destroy()
    })
    const { reader, over } = record()
    lineStreams(server.url).post('/api/chat', '{}', signal(), reader)
    expect((await over)[0]).toMatch(/^failed: /)
    expect(requests).toBe(1)
  })

  it('tells a refused request with its status and body', async () => {
    server = await serve(
      (_req, res) => void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no"}')
    )
    const { reader, over } = record()
    lineStreams(server.url).post('/api/chat', '{}', signal(), reader)
    expect(await over).toEqual(['refused 404: {"error":"no"}'])
  })

  it('stops at a line the reader wants no more after, and keeps the connection for the next request', async () => {
    server = await serve((_req, res) => void res.writeHead(200).end('{"a":1}\n{"done":true}\n{"late":1}\n'))
    const streams = lineStreams(server.url)
    for (let i = 0; i < 2; i++) {
      const { reader, over } = record(2)
      streams.post('/api/chat', '{}', signal(), reader)
      expect(await over).toEqual(['{"a":1}', '{"done":true}'])
    }
    expect(server.connections).toBe(1)
  })

  it('cuts the request on the caller’s abort mid-answer, with the abort’s reason, and on the function it returned', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200)
      res.write('{"first":1}\n')
    })
    const controller = new AbortController()
    const aborted = record()
    lineStreams(server.url).post('/api/chat', '{}', controller.signal, {
      ...aborted.reader,
      line(text) {
        setImmediate(() => controller.abort(new Error('the caller gave up')))
        return aborted.reader.line(text)
      }
    })
    expect(await aborted.over).toEqual(['{"first":1}', 'failed answering: the caller gave up'])
    await server.closed[0]

    let firstLine: () => void = () => undefined
    const answering = new Promise<void>((r) => (firstLine = r))
    const cut = lineStreams(server.url).post('/api/chat', '{}', signal(), {
      ...record().reader,
      line: () => (firstLine(), true)
    })
    await answering
    cut()
    await server.closed[1]
    expect(server.connections).toBe(2)
  })

  it('fails a request already aborted without sending it', async () => {
    let requests = 0
    server = await serve((_req, res) => void (requests++, res.end()))
    const controller = new AbortController()
    controller.abort(new Error('too late'))
    const { reader, over } = record()
    lineStreams(server.url).post('/api/chat', '{}', controller.signal, reader)
    expect(await over).toEqual(['failed: too late'])
    expect(requests).toBe(0)
  })

  it('fails a line longer than the limit instead of buffering it, and a cut body as cut', async () => {
    server = await serve((req, res) => {
      res.writeHead(200)
      if (req.url === '/long') return void res.end(`{"a":"${'x'.repeat(200)}`)
      res.write('{"a":1}\n{"b"')
      setImmediate(() => res.socket?.destroy())
    })
    const long = record()
    lineStreams(server.url, { maxLineChars: 100 }).post('/long', '{}', signal(), long.reader)
    expect(await long.over).toEqual([`failed answering: ${new LineTooLongError(100).message}`])
    const cut = record()
    lineStreams(server.url).post('/cut', '{}', signal(), cut.reader)
    const told = await cut.over
    expect(told[0]).toBe('{"a":1}')
    expect(told[1]).toMatch(/^failed answering: /)
  })

  it('ends the request with the reader’s own error when it throws on a line', async () => {
    server = await serve((_req, res) => void res.writeHead(200).end('not json\n{"a":1}\n'))
    const { reader, over } = record()
    lineStreams(server.url).post('/api/chat', '{}', signal(), {
      ...reader,
      line: () => {
        throw new Error('not JSON')
      }
    })
    expect(await over).toEqual(['failed answering: not JSON'])
  })

  it('closes a kept connection once it has sat idle for the idle limit', async () => {
    server = await serve((_req, res) => void res.writeHead(200).end('{"a":1}\n'))
    const { reader, over } = record()
    lineStreams(server.url, { idleMs: 50 }).post('/api/chat', '{}', signal(), reader)
    expect(await over).toEqual(['{"a":1}', 'ended'])
    // Resolves only when the client closes it: the server never does.
    await server.closed[0]
  })
})
