import { mkdirSync, writeFileSync } from 'node:fs'
import { request, type Agent } from 'node:http'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { WebSocket } from 'ws'
import type { Core } from '../../../app/start-core'
import { startTestCore } from '../../../test-support/running-core'
import { useTempDirs } from '../../../test-support/temp-dir'
import { startHeadlessHost, type HeadlessHost, type HeadlessHostOptions } from '../headless-host'

export { rawFrame } from './ws-raw-frame'

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export type HostOverrides = Partial<Pick<HeadlessHostOptions, 'allowRemote' | 'bind' | 'gate'>> & {
  readonly env?: NodeJS.ProcessEnv
  readonly metrics?: (core: Core) => HeadlessHostOptions['metrics']
}

/** Real cores behind real headless hosts on loopback, closed after each test. */
export function useHeadlessHosts(): (options?: HostOverrides) => Promise<{ core: Core; host: HeadlessHost }> {
  const tempDir = useTempDirs()
  const running: { core: Core; host: HeadlessHost }[] = []
  afterEach(async () => {
    for (const { core, host } of running.splice(0)) {
      await host.close()
      await core.close()
    }
  })
  return async (options = {}) => {
    const { env, metrics, ...overrides } = options
    const core = startTestCore(tempDir(), env ? { env } : {})
    const started = await startHeadlessHost({
      dispatcher: core.dispatcher,
      events: core.events,
      log: core.log,
      rendererDir: fakeRenderer(tempDir()),
      bind: '127.0.0.1',
      port: 0,
      portFallback: false,
      allowRemote: false,
      ...overrides,
      ...(metrics ? { metrics: metrics(core) } : {})
    })
    if (!started.ok) throw new Error(started.message)
    running.push({ core, host: started.host })
    return { core, host: started.host }
  }
}

function fakeRenderer(dir: string): string {
  mkdirSync(join(dir, 'assets'))
  writeFileSync(
    join(dir, 'index.html'),
    '<html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>'
  )
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'web-bridge.js'), '/* bridge */')
  return dir
}

export function http(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent } = {}
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers ?? {}, ...(init.agent ? { agent: init.agent } : {}) },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    // A server may stop reading a refused body and close: the reply still counts.
    req.on('error', reject)
    req.end(init.body)
  })
}

export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` })

export function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

export const wsUrl = (host: HeadlessHost): string => `${host.origin.replace('http', 'ws')}/rpc`

/** The next frame that is not an unrelated pushed event (the checklist and others push on their own). */
export function nextMessage(
  ws: WebSocket,
  wanted: (frame: Record<string, unknown>) => boolean = (f) => f.type === 'result'
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>
      if (!wanted(frame)) return
      ws.off('message', onMessage)
      resolve(frame)
    }
    ws.on('message', onMessage)
  })
}

/** Resolves with the close code the server sent. */
export function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)))
}

export function writeRaw(ws: WebSocket, frame: Buffer): void {
  ;(ws as unknown as { _socket: { write(data: Buffer): void } })._socket.write(frame)
}
