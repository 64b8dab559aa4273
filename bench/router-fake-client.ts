// The bench's side of bench/router-fake-server.ts: starts it as a child process and asks it, between
// rounds, when it wrote each token.
import { fork, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import type { FakeModel, FakeRule } from '../src/main/models/testing/fake-script'

export type FakeServerRequest = { type: 'written'; prompts: string[] } | { type: 'close' }
export type FakeServerReply = { type: 'ready'; url: string } | { type: 'written'; times: number[][] }
export interface FakeServerSetup {
  readonly models: FakeModel[]
  readonly loaded: string[]
  readonly rules: FakeRule[]
}

/** The monotonic clock every process on the machine shares (CLOCK_MONOTONIC), in ms. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6

export interface FakeServerProcess {
  readonly url: string
  /** The server's process id, to read its scheduler statistics. */
  readonly pid: number
  /** When each token of each prompt was written, on this process's performance.now() clock. */
  written(prompts: string[]): Promise<number[][]>
  close(): Promise<void>
}

const repoRoot = resolve(__dirname, '..')

export async function startFakeServerProcess(setup: FakeServerSetup): Promise<FakeServerProcess> {
  const child: ChildProcess = fork(
    join(repoRoot, 'node_modules/jiti/lib/jiti-cli.mjs'),
    [join(repoRoot, 'bench/router-fake-server.ts'), JSON.stringify(setup)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] }
  )
  const exited = new Promise<void>((res) => child.once('exit', () => res()))
  child.on('error', (error) => process.stderr.write(`fake server: ${error.message}\n`))
  const next = (): Promise<FakeServerReply> =>
    new Promise((res, rej) => {
      const onExit = (): void => rej(new Error('the fake server exited'))
      child.once('exit', onExit)
      child.once('message', (reply: FakeServerReply) => {
        child.off('exit', onExit)
        res(reply)
      })
    })
  const ready = await next()
  if (ready.type !== 'ready') throw new Error(`the fake server said ${ready.type} before it was ready`)
  // Both clocks are monotonic; their offset, taken once, converts the server's times to ours.
  const offset = monotonicMs() - performance.now()
  const ask = (request: FakeServerRequest): void => void child.send(request)
  return {
    url: ready.url,
    pid: child.pid ?? 0,
    async written(prompts) {
      const reply = next()
      ask({ type: 'written', prompts })
      const got = await reply
      if (got.type !== 'written') throw new Error(`the fake server said ${got.type}, not the written times`)
      return got.times.map((times) => times.map((t) => t - offset))
    },
    async close() {
      if (child.exitCode === null && child.connected) ask({ type: 'close' })
      else child.kill('SIGTERM')
      await exited
    }
  }
}
