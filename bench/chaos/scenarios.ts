/**
 * The fault scenarios of the chaos bench. Each runs a fresh core on its own
 * data dir against its own fault servers, queues the tasks, plays its faults
 * (noting when the backend was failing and when it was healthy again), waits
 * until every task has settled, and reads the outcome from the database.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChaosCore, type ChaosCore } from './chaos-core'
import { faultServer, supervisedCommand, type FaultServer, type ServerKind } from './fault-servers'

export interface ScenarioResult {
  readonly scenario: string
  readonly tasks: number
  readonly completedWithoutHuman: number
  readonly completedWithoutHumanPct: number
  readonly manualReview: number
  readonly lost: number
  readonly attemptsBurnedWhileBackendFailing: number
  /** Backend healthy again → first task completed after it, worst over the scenario's faults; null when the backend never failed. */
  readonly recoverySec: number | null
  readonly seconds: number
  readonly notes: string
}

export interface RunOptions {
  readonly tasks: number
  /** Multiplies every fault duration and interval; 1 in a full run. */
  readonly scale: number
  /** How long to wait for the queue to settle after the faults end. */
  readonly settleMs: number
}

interface Play {
  readonly servers: Record<ServerKind, FaultServer | undefined>
  readonly ms: (fullMs: number) => number
  /** The backend failed from now until `healthy` resolves (to the moment it answered again). */
  failing(healthy: () => Promise<number>): Promise<void>
  /** Freezes the core and the servers as a suspended machine is frozen. */
  freeze(ms: number): void
  readonly notes: string[]
}

interface Scenario {
  readonly name: string
  readonly nodes: readonly ServerKind[]
  readonly supervised?: boolean
  /** The fault lasts the whole run: the scenario ends when the queue has settled, not when its script does. */
  readonly endless?: boolean
  play(p: Play): Promise<void>
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A fault that lasts `fullMs` (scaled), then the server is healthy again. */
const faultFor = (fault: 'error500' | 'echo' | 'hang', fullMs: number) => async (p: Play) => {
  const server = p.servers.ollama as FaultServer
  await wait(p.ms(10_000))
  await p.failing(async () => {
    await server.setFault(fault)
    await wait(p.ms(fullMs))
    await server.setFault('none')
    return Date.now()
  })
}

const killEvery = (supervised: boolean) => async (p: Play) => {
  const server = p.servers.ollama as FaultServer
  for (let round = 0; round < 4; round++) {
    await wait(p.ms(30_000))
    await p.failing(async () => {
      await server.kill9()
      if (supervised) return server.whenAnswering()
      await wait(p.ms(5_000))
      await server.restart()
      return Date.now()
    })
  }
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'normal', nodes: ['ollama'], play: async () => undefined },
  { name: 'kill-9 every 30 s, restart after 5 s', nodes: ['ollama'], play: killEvery(false) },
  { name: 'kill-9 every 30 s, supervisor restarts', nodes: ['ollama'], supervised: true, play: killEvery(true) },
  { name: 'hang 60 s', nodes: ['ollama'], play: faultFor('hang', 60_000) },
  { name: '500 on every generation for 5 min', nodes: ['ollama'], play: faultFor('error500', 300_000) },
  { name: 'echo for 5 min', nodes: ['ollama'], play: faultFor('echo', 300_000) },
  {
    name: 'stream cut on 30% of generations',
    nodes: ['ollama'],
    endless: true,
    play: async (p) => {
      const server = p.servers.ollama as FaultServer
      await server.setFault('cut30')
      p.notes.push('the whole run is under the fault: every failed attempt counts as burned')
      await p.failing(() => new Promise<number>(() => undefined))
    }
  },
  {
    name: 'two nodes, one dead for good',
    nodes: ['ollama', 'openai'],
    play: async (p) => {
      await wait(p.ms(10_000))
      await (p.servers.openai as FaultServer).kill9()
      p.notes.push('the MLX node is killed 10 s in and never returns; the Ollama node stays healthy')
    }
  },
  {
    name: 'sleep 2 min',
    nodes: ['ollama'],
    play: async (p) => {
      await wait(p.ms(20_000))
      await p.failing(async () => {
        // Never shortened: a sleep under the detector's 20 s threshold is not one the app needs to recover from.
        p.freeze(120_000)
        return Date.now()
      })
      p.notes.push(
        'sleep simulated: the server is SIGSTOPped and the core’s event loop blocked; the detector’s monotonic clock excludes that time, as a suspended machine’s does'
      )
    }
  }
]

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kos-chaos-'))
  const started = Date.now()
  const ports = { ollama: await freePort(), openai: await freePort() }
  const servers: Record<ServerKind, FaultServer | undefined> = { ollama: undefined, openai: undefined }
  for (const kind of scenario.nodes)
    servers[kind] = faultServer(kind, ports[kind], {
      pidFile: join(dataDir, `${kind}.pid`),
      spawnIt: !(kind === 'ollama' && scenario.supervised)
    })
  let frozenMs = 0
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    KOS_OLLAMA_API_URL: `http://127.0.0.1:${ports.ollama}`,
    // No MLX server unless the scenario has one: a closed port, as on a Mac where it is not installed.
    KOS_MLX_API_URL: scenario.nodes.includes('openai')
      ? `http://127.0.0.1:${ports.openai}/v1`
      : 'http://127.0.0.1:9/v1',
    KOS_SUPERVISOR_OLLAMA: scenario.supervised ? 'manage' : 'off',
    KOS_SUPERVISOR_MLX: 'off',
    ...(scenario.supervised ? { KOS_OLLAMA_COMMAND: supervisedCommand(join(dataDir, 'ollama.pid')) } : {})
  }
  let core: ChaosCore | null = null
  const windows: { from: number; to: number | null }[] = []
  const notes: string[] = []
  try {
    for (const kind of scenario.nodes)
      if (!(kind === 'ollama' && scenario.supervised)) await servers[kind]?.whenAnswering()
    core = startChaosCore({
      dataDir,
      env,
      supervised: scenario.supervised === true,
      monotonic: () => performance.now() - frozenMs
    })
    const ids: string[] = []
    for (let i = 0; i < options.tasks; i++) {
      const made = core.engine.createNow({
        title: `Chaos task ${i}`,
        description: `Answer question ${i} of the chaos run in full, with reasons.`
      })
      if (made.ok) ids.push(made.task.id)
    }
    const play: Play = {
      servers,
      // A smoke run shortens faults, but never under 10 s (or the fault's own length): shorter, a restart or a probe would not fit inside one.
      ms: (full) => Math.round(Math.max(full * options.scale, Math.min(full, 10_000))),
      notes,
      async failing(healthy) {
        const window = { from: Date.now(), to: null as number | null }
        windows.push(window)
        window.to = await healthy()
      },
      freeze(ms) {
        for (const s of Object.values(servers)) s?.pause()
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
        frozenMs += ms
        for (const s of Object.values(servers)) s?.resume()
      }
    }
    const settled = (): boolean =>
      (
        core?.db
          .prepare("SELECT COUNT(*) AS n FROM tasks WHERE status = 'completed' OR status = 'deferred_to_human'")
          .get() as { n: number }
      ).n >= ids.length
    let playing = true
    // A fault script that fails (a server that never came back) ends the scenario with a note, not the bench.
    const played = scenario.play(play).then(
      () => undefined,
      (error: unknown) =>
        void notes.push(`the fault script failed: ${error instanceof Error ? error.message : String(error)}`)
    )
    void played.finally(() => (playing = false))
    let settleBy = Infinity
    for (;;) {
      if (settled() && (!playing || scenario.endless)) break
      if (!playing && settleBy === Infinity) settleBy = Date.now() + options.settleMs
      if (Date.now() > settleBy) break
      await wait(200)
    }
    const ended = Date.now()
    for (const w of windows) w.to ??= ended
    if (scenario.name === 'sleep 2 min')
      notes.push(
        core.resumes.length > 0
          ? `the core’s detector saw the wake and ran the resume path (slept ${core.resumes[0]?.sleptSec ?? '?'} s)`
          : 'the detector did NOT see the wake'
      )
    return measure(core, scenario.name, ids.length, windows as { from: number; to: number }[], options, started, notes)
  } finally {
    await core?.close()
    for (const s of Object.values(servers)) await s?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

function measure(
  core: ChaosCore,
  name: string,
  tasks: number,
  windows: readonly { from: number; to: number }[],
  options: RunOptions,
  started: number,
  notes: string[]
): ScenarioResult {
  const count = (sql: string, ...params: number[]): number => (core.db.prepare(sql).get(...params) as { n: number }).n
  const completed = count("SELECT COUNT(*) AS n FROM tasks WHERE status = 'completed'")
  const review = count("SELECT COUNT(*) AS n FROM tasks WHERE status = 'deferred_to_human'")
  let burned = 0
  let recovery: number | null = null
  for (const w of windows) {
    // An attempt counted while the backend failed, and not given back once the engine knew it was the backend's.
    burned += count(
      `SELECT COUNT(*) AS n FROM task_events f WHERE f.kind = 'failed' AND f.at >= ? AND f.at <= ?
        AND NOT EXISTS (SELECT 1 FROM task_events g WHERE g.task_id = f.task_id AND g.kind = 'waiting' AND g.message LIKE 'attempt given back:%' AND g.seq > f.seq)`,
      w.from,
      w.to
    )
    const first = core.db
      .prepare("SELECT MIN(at) AS at FROM task_events WHERE kind = 'completed' AND at >= ?")
      .get(w.to) as { at: number | null }
    if (first.at !== null && name !== 'stream cut on 30% of generations')
      recovery = Math.max(recovery ?? 0, (first.at - w.to) / 1000)
  }
  if (options.scale !== 1) notes.push(`fault durations ×${options.scale} (quick run)`)
  return {
    scenario: name,
    tasks,
    completedWithoutHuman: completed,
    completedWithoutHumanPct: Number(((100 * completed) / Math.max(1, tasks)).toFixed(1)),
    manualReview: review,
    lost: tasks - completed - review,
    attemptsBurnedWhileBackendFailing: burned,
    recoverySec: recovery === null ? null : Number(recovery.toFixed(2)),
    seconds: Math.round((Date.now() - started) / 1000),
    notes: notes.join('; ')
  }
}
