import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { rpcError } from '../../../shared/contract/rpc-error'
import type { EventBus } from '../../events/event-bus'
import type { Logger } from '../../log/logger'
import { isLoopbackHost } from '../../platform/loopback'
import type { Dispatcher } from '../../rpc/dispatcher'
import { SESSION_COOKIE, createAccessControl, type AccessControl } from './access'
import { DEFAULT_GATE_SETTINGS, createCallGate, type GateSettings } from './call-gate'
import { serveApiCall } from './http-api'
import { createLoadMonitor } from './load-monitor'
import { SECURITY_HEADERS } from './security-headers'
import { createStaticFiles } from './static-files'
import { createWsTransport } from './ws-transport'

export interface HeadlessHostOptions {
  readonly dispatcher: Dispatcher
  readonly events: EventBus
  readonly log: Logger
  readonly rendererDir: string
  readonly bind: string
  readonly port: number
  /** When the asked-for port is taken, take a free one instead of failing (only for the default port). */
  readonly portFallback: boolean
  readonly allowRemote: boolean
  readonly access?: AccessControl
  /** Rate limits per token and load shedding (the host.rateLimit and host.shed settings). */
  readonly gate?: GateSettings
  /** Prometheus text at /metrics: with a token, or (`loopback`) without one from this machine only. */
  readonly metrics?: {
    readonly render: () => Promise<string>
    readonly contentType: string
    readonly access: 'token' | 'loopback'
  }
}

export interface HeadlessHost {
  readonly origin: string
  /** Opens the app with full access. */
  readonly url: string
  readonly readOnlyUrl: string
  readonly access: AccessControl
  close(): Promise<void>
}

export type HostStart =
  { readonly ok: true; readonly host: HeadlessHost } | { readonly ok: false; readonly message: string }

const UNAUTHORIZED_HINT =
  'Open the URL printed by `kos serve` (it carries ?token=…), or send the header "Authorization: Bearer <token>".'

/**
 * Serves the built renderer and carries the contract over a WebSocket at
 * /rpc (and a plain HTTP POST API at /api/call/<name> for scripts). Every
 * request needs a token or the session cookie a token was exchanged for.
 */
export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HostStart> {
  const access = options.access ?? createAccessControl()
  const files = createStaticFiles(options.rendererDir)
  const load = createLoadMonitor()
  const gate = createCallGate(options.gate ?? DEFAULT_GATE_SETTINGS, load)
  const ws = createWsTransport(options.dispatcher, gate, options.log)
  const unsubscribe = options.events.subscribe((frame) => ws.broadcast(frame))
  let origin = ''

  // This machine's names for itself (127.0.0.1, localhost, [::1]) are one host, whichever the host was started with.
  const isOwnLoopbackAddress = (host: string): boolean => {
    const port = /^(.*):(\d+)$/.exec(host)
    return port !== null && port[2] === new URL(origin).port && isLoopbackHost(port[1]!)
  }
  const hostAccepted = (req: IncomingMessage): boolean =>
    options.allowRemote || isOwnLoopbackAddress(req.headers.host ?? '')
  const originAccepted = (req: IncomingMessage): boolean => {
    const from = req.headers.origin
    if (from === undefined || from === origin || (options.allowRemote && from === `http://${req.headers.host}`))
      return true
    return from.startsWith('http://') && isOwnLoopbackAddress(from.slice('http://'.length))
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log.error('headless request failed', { error, path: req.url })
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: rpcError('internal', 'The host failed to answer; see the log.') })
      else res.destroy()
    })
  })

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
    if (!hostAccepted(req))
      return sendText(res, 421, `Host "${req.headers.host ?? ''}" is not served here; use ${origin}.`)
    const url = new URL(req.url ?? '/', origin)

    const token = url.searchParams.get('token')
    if (token !== null && req.method === 'GET') {
      const session = access.openSession(token)
      if (!session) return sendText(res, 401, `That token is not valid for this run of the host. ${UNAUTHORIZED_HINT}`)
      url.searchParams.delete('token')
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`)
      res.setHeader('Location', `${url.pathname}${url.search}${url.hash}`)
      res.writeHead(303).end()
      return
    }

    const auth = access.authenticate(req)
    if (url.pathname === '/metrics' && options.metrics && req.method === 'GET') {
      const fromThisMachine = isLoopbackHost(req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '')
      if (!auth.ok && !(options.metrics.access === 'loopback' && fromThisMachine))
        return sendText(res, 401, `Not signed in. ${UNAUTHORIZED_HINT}`)
      res.setHeader('Content-Type', options.metrics.contentType)
      res.setHeader('Cache-Control', 'no-store')
      res.writeHead(200).end(await options.metrics.render())
      return
    }
    if (!auth.ok) return sendText(res, 401, `Not signed in. ${UNAUTHORIZED_HINT}`)

    if (url.pathname.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store')
      if (url.pathname === '/api/session' && req.method === 'GET')
        return sendJson(res, 200, { scopes: [...auth.scopes] })
      const name = /^\/api\/call\/([\w.-]+)$/.exec(url.pathname)?.[1]
      if (!name)
        return sendJson(res, 404, {
          ok: false,
          error: rpcError('not_found', `No API route ${url.pathname}. Calls are POST /api/call/<name>.`)
        })
      if (req.method !== 'POST')
        return sendJson(res, 405, { ok: false, error: rpcError('bad_request', `Use POST for /api/call/${name}.`) })
      if (!originAccepted(req))
        return sendJson(res, 403, {
          ok: false,
          error: rpcError(
            'forbidden',
            `Requests from origin ${(req.headers.origin ?? '').slice(0, 200)} are not accepted.`
          )
        })
      return serveApiCall(req, res, name, auth, { dispatcher: options.dispatcher, gate })
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Only GET is served here.')
    const file = await files.get(url.pathname)
    if (!file) return sendText(res, 404, `Nothing at ${url.pathname}.`)
    res.setHeader('Content-Type', file.contentType)
    res.setHeader('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-store')
    res.writeHead(200).end(req.method === 'HEAD' ? undefined : file.body)
  }

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (error: NodeJS.ErrnoException) =>
      options.log.debug('upgrade socket failed', { code: error.code })
    )
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (!hostAccepted(req)) return refuse(421, 'Misdirected Request')
    if (new URL(req.url ?? '/', origin).pathname !== '/rpc') return refuse(404, 'Not Found')
    if (!originAccepted(req)) return refuse(403, 'Forbidden')
    const auth = access.authenticate(req)
    if (!auth.ok) return refuse(401, 'Unauthorized')
    ws.accept(req, socket, head, auth)
  })

  const listening = await listen(server, options.bind, options.port, options.portFallback)
  if (!listening.ok) {
    unsubscribe()
    ws.close()
    load.close()
    return listening
  }
  // After listening, a server error (out of file descriptors on accept) is logged; the host goes on.
  server.on('error', (error: NodeJS.ErrnoException) =>
    options.log.error('headless host socket error', { code: error.code, error })
  )
  const display = options.bind.includes(':') ? `[${options.bind}]` : options.bind
  origin = `http://${display}:${listening.port}`
  options.log.info('headless host listening', { origin, allow_remote: options.allowRemote })

  return {
    ok: true,
    host: {
      origin,
      url: `${origin}/?token=${access.fullToken}`,
      readOnlyUrl: `${origin}/?token=${access.readOnlyToken}`,
      access,
      close: () =>
        new Promise<void>((resolve) => {
          unsubscribe()
          ws.close()
          load.close()
          server.close(() => resolve())
          server.closeAllConnections()
        })
    }
  }
}

async function listen(
  server: ReturnType<typeof createServer>,
  bind: string,
  port: number,
  fallback: boolean
): Promise<{ ok: true; port: number } | { ok: false; message: string }> {
  const attempt = (p: number): Promise<NodeJS.ErrnoException | null> =>
    new Promise((resolve) => {
      const onError = (error: NodeJS.ErrnoException): void => resolve(error)
      server.once('error', onError)
      server.listen(p, bind, () => {
        server.off('error', onError)
        resolve(null)
      })
    })
  let error = await attempt(port)
  if (error?.code === 'EADDRINUSE' && fallback) error = await attempt(0)
  if (error) {
    const hint =
      error.code === 'EADDRINUSE'
        ? 'Stop the program using it, or pass --port 0 to take a free port.'
        : 'Check host.bind and host.port.'
    return {
      ok: false,
      message: `The headless host cannot listen on ${bind}:${port} (${error.code ?? error.message}). ${hint}`
    }
  }
  return { ok: true, port: (server.address() as AddressInfo).port }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.writeHead(status).end(JSON.stringify(body))
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  res.writeHead(status).end(`${text}\n`)
}
