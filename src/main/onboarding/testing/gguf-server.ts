import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'

export interface GgufServer {
  readonly url: (file: string) => string
  /** Every GET, in order: "GET /chat.gguf bytes=5242880-10485759", or "… whole" without a Range. */
  readonly requests: string[]
  /** The ranged request that was cut, and how far it got; null until then. */
  cut(): { readonly start: number; readonly end: number; readonly sent: number } | null
  /** Lets the stalled ranges through from now on. */
  unstall(): void
  close(): Promise<void>
}

export interface GgufServerOptions {
  /** File name → bytes. */
  readonly files: Readonly<Record<string, Buffer>>
  /** Cuts the first ranged response longer than this many bytes after sending them (a dropped connection). */
  readonly cutAfterBytes?: number
  /** The sha256 published in X-Linked-Etag, per file; the file's real one when absent. */
  readonly publishedSha256?: Readonly<Record<string, string>>
  /** Ranged requests from this byte on send a few bytes, then nothing more until unstall() (a download left hanging). */
  readonly stallFrom?: number
  /** 0 or absent: any free port. */
  readonly port?: number
}

/**
 * A loopback model mirror that behaves like Hugging Face's file endpoint:
 * Range requests (206 with Content-Range), HEAD with the file's sha256 in
 * X-Linked-Etag, and optionally a connection cut mid-body.
 */
export async function startGgufServer(options: GgufServerOptions): Promise<GgufServer> {
  const requests: string[] = []
  let cut: { start: number; end: number; sent: number } | null = null
  let stallFrom = options.stallFrom ?? Infinity
  let cuts = options.cutAfterBytes === undefined ? 0 : 1
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1))
    const data = options.files[name]
    if (!data) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found')
    const sha = options.publishedSha256?.[name] ?? createHash('sha256').update(data).digest('hex')
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
    const start = range ? Number(range[1]) : 0
    const end = range?.[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1
    const body = data.subarray(start, end + 1)
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      'content-length': String(body.length),
      'x-linked-etag': `"${sha}"`
    }
    if (req.method === 'HEAD')
      return void res.writeHead(200, { ...headers, 'content-length': String(data.length) }).end()
    requests.push(`GET /${name} ${range ? `bytes=${start}-${end}` : 'whole'}`)
    if (range) headers['content-range'] = `bytes ${start}-${end}/${data.length}`
    res.writeHead(range ? 206 : 200, headers)
    if (range && start >= stallFrom) return void res.write(body.subarray(0, 100))
    if (range && cuts > 0 && options.cutAfterBytes !== undefined && body.length > options.cutAfterBytes) {
      cuts--
      cut = { start, end, sent: options.cutAfterBytes }
      res.write(body.subarray(0, options.cutAfterBytes), () => res.socket?.destroy())
      return
    }
    res.end(body)
  })
  server.on('connection', (socket) => socket.on('error', () => undefined))
  server.on('clientError', (_, socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: (file) => `http://127.0.0.1:${port}/${file}`,
    requests,
    cut: () => cut,
    unstall: () => void (stallFrom = Infinity),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
