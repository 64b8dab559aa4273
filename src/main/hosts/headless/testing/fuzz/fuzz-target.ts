import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { GateSettings } from '../../call-gate'

export interface FuzzTarget {
  readonly origin: string
  readonly fullToken: string
  readonly readOnlyToken: string
  readonly databaseFile: string
  /** Null while the host runs; its exit code or signal once it died. */
  exited(): string | null
  stop(): Promise<void>
}

const REPO = resolve(__dirname, '..', '..', '..', '..', '..', '..')
const HOST_MODULE = join(REPO, 'src', 'main', 'hosts', 'headless', 'testing', 'fuzz', 'fuzz-host.ts')

// The host runs from source through vite's module runner (as under vitest, so import.meta.glob and
// the bundled migrations resolve); __dirname is what the built app would see.
const LAUNCHER = `
import { createServer, createServerModuleRunner } from 'vite'
import { join } from 'node:path'
globalThis.__dirname = join(process.cwd(), 'out', 'main')
const server = await createServer({ configFile: false, root: process.cwd(), logLevel: 'error', server: { middlewareMode: true, hmr: false, ws: false } })
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false })
await runner.import(process.argv[1])
`

/** Starts a headless host in a child process on a fresh data dir, and waits until it listens. */
export async function startFuzzTarget(gate?: GateSettings): Promise<FuzzTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kos-fuzz-'))
  const args = ['--input-type=module', '-e', LAUNCHER, HOST_MODULE, dataDir, ...(gate ? [JSON.stringify(gate)] : [])]
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
  let exit: string | null = null
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const exited = new Promise<void>((done) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? `exit code ${code}`
      done()
    })
  )
  const first = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', done)
    void exited.then(() => fail(new Error(`The fuzz host exited before listening (${exit}): ${stderr}`)))
  })
  const info = JSON.parse(first) as { origin: string; fullToken: string; readOnlyToken: string; databaseFile: string }
  return {
    ...info,
    exited: () => exit,
    async stop() {
      if (exit === null) {
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
