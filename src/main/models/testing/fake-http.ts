import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export type Route = (req: IncomingMessage, body: unknown, res: ServerResponse) => Promise<void> | void

export interface FakeHttp {
  readonly url: string
  readonly port: number
  /** Closes the listener and drops every open connection, including hung ones. */
  close(): Promise<void>
}

/** A loopback HTTP server that tracks its sockets so a test can cut them all. */
export async function listen(route: Route, port = 0): Promise<FakeHttp> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      let body: unknown = null
      if (raw) {
        try {
          body = JSON.parse(raw)
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid JSON body' }))
          return
        }
      }
      Promise.resolve(route(req, body, res)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }))
      })
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('the fake server has no TCP address')
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
}

/** Writes a piece of a streamed answer and resolves once it has left for the socket. */
export function writeFlushed(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => void res.write(data, () => resolve()))
}
