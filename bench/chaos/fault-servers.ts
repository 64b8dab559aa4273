/** The bench's side of the fault servers: start one in a child process, set its fault, kill -9 it, wait for it to answer. */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Fault } from './fault-server'

const REPO = resolve(__dirname, '..', '..')
export const JITI = join(REPO, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs')
export const FAULT_SERVER = join(__dirname, 'fault-server.ts')

export type ServerKind = 'ollama' | 'openai'

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export interface FaultServer {
  readonly kind: ServerKind
  readonly url: string
  setFault(fault: Fault): Promise<void>
  kill9(): Promise<void>
  /** Starts it again on the same port (unless a supervisor does); resolves once it answers. */
  restart(): Promise<void>
  /** Resolves at the first moment it answers its model list again. */
  whenAnswering(limitMs?: number): Promise<number>
  pause(): void
  resume(): void
  stop(): Promise<void>
}

/** Started by the bench, or (pidFile given, spawn false) by the app's supervisor, which then restarts it. */
export function faultServer(
  kind: ServerKind,
  port: number,
  options: { pidFile: string; spawnIt: boolean }
): FaultServer {
  const url = `http://127.0.0.1:${port}${kind === 'openai' ? '/v1' : ''}`
  const base = `http://127.0.0.1:${port}`
  let child: ChildProcess | null = null
  const pid = (): number | null =>
    child?.pid && child.exitCode === null && child.signalCode === null
      ? child.pid
      : existsSync(options.pidFile)
        ? Number(readFileSync(options.pidFile, 'utf8'))
        : null

  async function whenAnswering(limitMs = 120_000): Promise<number> {
    const start = Date.now()
    for (;;) {
      try {
        const r = await fetch(`${base}${kind === 'openai' ? '/v1/models' : '/api/tags'}`, {
          signal: AbortSignal.timeout(1000)
        })
        if (r.ok) return Date.now()
      } catch {
        // not up yet
      }
      if (Date.now() - start > limitMs)
        throw new Error(`${kind} fault server on ${port} did not answer within ${limitMs} ms`)
      await wait(50)
    }
  }

  function start(): void {
    child = spawn(process.execPath, [JITI, FAULT_SERVER, kind, String(port), options.pidFile], {
      stdio: ['ignore', 'ignore', 'inherit']
    })
    child.on('error', (error) => process.stderr.write(`fault server: ${error.message}\n`))
  }

  const server: FaultServer = {
    kind,
    url,
    async setFault(fault) {
      await fetch(`${base}/__fault`, { method: 'POST', body: JSON.stringify({ fault }) }).catch(() => undefined)
    },
    async kill9() {
      const target = pid()
      if (target === null) return
      try {
        process.kill(target, 'SIGKILL')
      } catch {
        return
      }
      // Gone once its port refuses connections.
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(target, 0)
        } catch {
          return
        }
        await wait(10)
      }
    },
    async restart() {
      if (options.spawnIt) start()
      await whenAnswering()
    },
    whenAnswering,
    pause: () => void (pid() && process.kill(pid() as number, 'SIGSTOP')),
    resume: () => void (pid() && process.kill(pid() as number, 'SIGCONT')),
    async stop() {
      await server.kill9()
    }
  }
  if (options.spawnIt) start()
  return server
}

/** The command the app's supervisor runs instead of `ollama serve` (KOS_OLLAMA_COMMAND, split on spaces). */
export function supervisedCommand(pidFile: string): string {
  return `${process.execPath} ${JITI} ${FAULT_SERVER} ollama 0 ${pidFile}`
}
