import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { Worker } from 'node:worker_threads'
import type { CallInput } from '../src/shared/contract/contract'
import type { CliSetting } from '../src/main/config/config-resolver'
import type { SettingKey } from '../src/main/config/setting-definitions'
import { startCore, type Core } from '../src/main/app/start-core'
import type { Db } from '../src/main/db/database'
import { startHeadlessHost, type HeadlessHost } from '../src/main/hosts/headless/headless-host'
import type { TaskProcessor } from '../src/main/ports/task-processor'
import { FULL_SCOPES } from '../src/main/rpc/in-process-client'
import { percentile } from '../src/main/tasks/percentile'
import { createTaskIds } from '../src/main/tasks/task-id'
import { GOOD_ANSWER } from '../src/main/tasks/testing/scripted-processor'
import { OFFLINE_ENV } from '../src/main/test-support/offline-env'
import { measureCreate, type CreateCost } from './views-tasks-view'
import { WINDOW_SOURCE } from './views-window'

// Pending at the start of every running phase: more than the fastest engine completes in PHASE_MS, so the queue never
// runs dry and the phase measures full speed (at 100,000 a 20,000 tasks/s machine emptied it within the first phase).
const QUEUED = 300_000
const LARGE = 1_000_000
const PHASE_MS = 5_000
const out = (line: string): void => void process.stdout.write(`${line}\n`)

/** Answers at once: the queue runs as fast as the core can claim, commit and publish. */
const INSTANT: TaskProcessor = {
  plan: () => ({ backend: 'bench', model: 'instant', heavy: false }),
  ensureReady: () => Promise.resolve(),
  process: () => Promise.resolve(GOOD_ANSWER),
  load: () => []
}

function settings(entries: Record<string, string>): ReadonlyMap<SettingKey, CliSetting> {
  const map = new Map<SettingKey, CliSetting>()
  for (const [key, raw] of Object.entries(entries)) map.set(key as SettingKey, { flag: `--set ${key}`, raw })
  return map
}

function start(dataDir: string, background: boolean): Core {
  const started = startCore({
    hostKind: 'headless',
    dataDirFlag: dataDir,
    cliSettings: settings({ 'worker.minConcurrency': '8', 'worker.maxConcurrency': '8' }),
    platform: { platform: process.platform, env: { ...OFFLINE_ENV }, home: dataDir },
    appVersion: 'bench',
    background,
    taskProcessor: INSTANT
  })
  if (!started.ok) throw new Error(started.error.message)
  return started.core
}

/** `count` tasks written straight into the table (the triggers keep the counts): `completedShare` of them completed, a few in manual review, the rest pending. */
function seed(db: Db, count: number, completedShare: number, keyPrefix = 'seed'): void {
  const nextId = createTaskIds()
  const insert =
    db.prepare(`INSERT INTO tasks (id, title, description, domain, priority, priority_rank, assignee_expert, status, attempt_count,
      backend, model, dedup_key, created_at, updated_at, completed_at, latency_ms, result)
    VALUES (?, ?, 'Seeded by the views bench.', ?, 'normal', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const start = Date.now() - count
  const experts = ['analyst', 'writer', 'coder', 'researcher']
  const domains = ['finance', 'sales', 'ops', 'legal', 'research']
  for (let from = 0; from < count; from += 50_000) {
    db.transaction(() => {
      for (let i = from; i < Math.min(count, from + 50_000); i++) {
        const at = start + i
        const completed = i < count * completedShare
        const status = completed ? 'completed' : i % 997 === 0 ? 'deferred_to_human' : 'pending'
        insert.run(
          nextId(),
          `Seeded task ${i} about ${domains[i % domains.length]}`,
          domains[i % domains.length],
          experts[i % experts.length],
          status,
          completed ? 1 : 0,
          completed ? 'bench' : null,
          completed ? 'instant' : null,
          `${keyPrefix}-${i}`,
          at,
          at,
          completed ? at : null,
          completed ? 5 : null,
          completed ? GOOD_ANSWER : null
        )
      }
    })()
  }
}

interface Window {
  readonly worker: Worker
  ask<T>(type: string, reply: string): Promise<T>
  close(): Promise<void>
}

async function openWindow(host: HeadlessHost, wsModule: string): Promise<Window> {
  const worker = new Worker(WINDOW_SOURCE, {
    eval: true,
    workerData: { origin: host.origin, token: host.access.fullToken, wsModule }
  })
  worker.on('error', (error) => {
    throw error
  })
  await new Promise<void>((resolveOpen, reject) => {
    worker.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'open') resolveOpen()
      if (m.type === 'error') reject(new Error(m.message))
    })
  })
  return {
    worker,
    ask: <T>(type: string, reply: string) =>
      new Promise<T>((resolveAsk) => {
        const listener = (m: T & { type: string }): void => {
          if (m.type !== reply) return
          worker.off('message', listener)
          resolveAsk(m)
        }
        worker.on('message', listener)
        worker.postMessage({ type })
      }),
    close: async () => {
      worker.postMessage({ type: 'close' })
      await worker.terminate()
    }
  }
}

interface Phase {
  /** Idle: the queue paused, to show what the shared machine alone does to the lag. */
  readonly running: boolean
  readonly window: boolean
  readonly completions: number
  readonly tasksPerSec: number
  readonly lagP50Ms: number
  readonly lagP99Ms: number
  readonly lagMaxMs: number
  /** Garbage-collection pauses over 10 ms during the phase. */
  readonly longGcPauses: number
  readonly bytesPerSec: number | null
  readonly framesPerSec: number | null
  readonly changedPerSec: number | null
  /** A running phase that ended with no task pending measured less than full speed. */
  readonly ranDry: boolean
}

async function runPhase(core: Core, window: Window | null, running = true, profile?: string): Promise<Phase> {
  const client = core.client({ scopes: FULL_SCOPES })
  const completedBefore = completedCount(core)
  const before = window
    ? await window.ask<{ bytes: number; frames: number; byName: Record<string, number> }>('counters', 'counters')
    : null
  const lag = monitorEventLoopDelay({ resolution: 5 })
  let longGcPauses = 0
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.duration > 10) longGcPauses++
  })
  gc.observe({ entryTypes: ['gc'] })
  lag.enable()
  const session = profile ? new Session() : null
  if (session) {
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
  }
  const started = performance.now()
  if (running) await client.call('tasks.resume', {})
  await new Promise((r) => setTimeout(r, PHASE_MS))
  await client.call('tasks.pause', {})
  const seconds = (performance.now() - started) / 1000
  lag.disable()
  gc.disconnect()
  if (session && profile) {
    const { profile: taken } = await session.post('Profiler.stop')
    writeFileSync(profile, JSON.stringify(taken))
    session.disconnect()
  }
  const after = window
    ? await window.ask<{ bytes: number; frames: number; byName: Record<string, number> }>('counters', 'counters')
    : null
  const completions = completedCount(core) - completedBefore
  return {
    ranDry: running && countOf(core, 'pending') === 0,
    running,
    window: window !== null,
    completions,
    tasksPerSec: completions / seconds,
    lagP50Ms: lag.percentile(50) / 1e6,
    lagP99Ms: lag.percentile(99) / 1e6,
    lagMaxMs: lag.max / 1e6,
    longGcPauses,
    bytesPerSec: before && after ? (after.bytes - before.bytes) / seconds : null,
    framesPerSec: before && after ? (after.frames - before.frames) / seconds : null,
    changedPerSec:
      before && after ? ((after.byName['tasks.changed'] ?? 0) - (before.byName['tasks.changed'] ?? 0)) / seconds : null
  }
}

const completedCount = (core: Core): number => countOf(core, 'completed')

function countOf(core: Core, status: 'pending' | 'completed'): number {
  return (
    (core.db.prepare('SELECT n FROM task_status_counts WHERE status = ?').get(status) as { n: number } | undefined)
      ?.n ?? 0
  )
}

/** Tops the queue up to QUEUED pending tasks before a running phase, keyed apart from earlier seeds. */
function topUp(core: Core, phase: string): void {
  seed(core.db, Math.max(0, QUEUED - countOf(core, 'pending')), 0, phase)
}

async function live(options: BenchOptions): Promise<{ phases: Phase[]; create: CreateCost }> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-views-'))
  const core = start(dir, true)
  const client = core.client({ scopes: FULL_SCOPES })
  await client.call('tasks.pause', {})
  seed(core.db, QUEUED, 0)
  const hosting = await startHeadlessHost({
    dispatcher: core.dispatcher,
    events: core.events,
    log: core.log,
    rendererDir: join(options.repoRoot, 'out', 'renderer'),
    bind: '127.0.0.1',
    port: 0,
    portFallback: false,
    allowRemote: false
  })
  if (!hosting.ok) throw new Error(hosting.message)
  const host = hosting.host
  try {
    const phases = [await runPhase(core, null, false), await runPhase(core, null)]
    const window = await openWindow(host, options.wsModule)
    topUp(core, 'window-open')
    phases.push(await runPhase(core, window, true, options.profile))
    await window.close()
    // One create from the Tasks view while the queue is paused: the calls it makes, and the changes pushed about its task.
    const create = await measureCreate(host.origin, host.access.fullToken)
    return { phases, create }
  } finally {
    await host.close()
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

interface PageTiming {
  readonly what: string
  readonly medianMs: number
  readonly p95Ms: number
  readonly rows: number
}

async function firstPages(): Promise<{ tasks: number; seedSeconds: number; timings: PageTiming[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-views-large-'))
  const core = start(dir, false)
  try {
    const seeding = performance.now()
    seed(core.db, LARGE, 0.98)
    const seedSeconds = (performance.now() - seeding) / 1000
    core.db.pragma('wal_checkpoint(TRUNCATE)')
    const client = core.client({ scopes: FULL_SCOPES, transport: 'ws' })
    const time = async (what: string, input: CallInput<'tasks.list'>, runs = 15): Promise<PageTiming> => {
      const ms: number[] = []
      let rows = 0
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now()
        const result = await client.call('tasks.list', input)
        ms.push(performance.now() - t0)
        if (!result.ok) throw new Error(result.error.message)
        rows = result.value.tasks.length
      }
      ms.sort((a, b) => a - b)
      return { what, medianMs: percentile(ms, 0.5), p95Ms: percentile(ms, 0.95), rows }
    }
    const first = await client.call('tasks.list', {})
    const cursor = first.ok ? (first.value.nextCursor ?? undefined) : undefined
    const timings = [
      await time('first page, no filter', {}),
      await time('second page (cursor)', cursor ? { cursor } : {}),
      await time('first page, status manual review', { status: 'deferred_to_human' }),
      await time('first page, status pending', { status: 'pending' }),
      await time('first page, expert', { expert: 'writer' }),
      await time('first page, search "task 99999"', { search: 'task 99999' }, 3)
    ]
    return { tasks: LARGE, seedSeconds, timings }
  } finally {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export interface BenchOptions {
  readonly repoRoot: string
  /** Where the window thread loads \`ws\` from. */
  readonly wsModule: string
  readonly json: boolean
  /** Also the first page of tasks.list with 1,000,000 tasks. */
  readonly large: boolean
  /** Where to write a CPU profile of the main thread during the phase with a window open (.cpuprofile). */
  readonly profile?: string | undefined
}

/** Run by bench/views.ts through Vite's module runner, so the core loads as the build bundles it. */
export async function runViewsBench(options: BenchOptions): Promise<void> {
  const { json, large } = options
  const { phases, create } = await live(options)
  out(
    `Live views: ${QUEUED} tasks pending at the start of each running phase, an instant processor at 8 slots, ${PHASE_MS / 1000} s per phase, the real headless host; the window is a WebSocket client on its own thread`
  )
  out(
    'queue    window  completions  tasks/s  lag p50 ms  lag p99 ms  lag max ms  GC>10ms  bytes pushed/s  frames/s  tasks.changed/s'
  )
  for (const p of phases) {
    const n = (v: number | null, digits = 0) => (v === null ? '—' : v.toFixed(digits))
    out(
      `${(p.running ? 'running' : 'paused').padEnd(7)}  ${(p.window ? 'open' : 'none').padEnd(6)}  ${String(p.completions).padStart(11)}  ${p.tasksPerSec.toFixed(0).padStart(7)}  ${p.lagP50Ms.toFixed(2).padStart(10)}  ${p.lagP99Ms.toFixed(2).padStart(10)}  ${p.lagMaxMs.toFixed(2).padStart(10)}  ${String(p.longGcPauses).padStart(7)}  ${n(p.bytesPerSec).padStart(14)}  ${n(p.framesPerSec).padStart(8)}  ${n(p.changedPerSec).padStart(15)}`
    )
  }
  if (phases.some((p) => p.ranDry))
    out('The queue ran dry within a running phase: its tasks/s and lag are below full speed; raise QUEUED.')
  out(
    `One create from the Tasks view (queue paused): ${create.calls} round trip(s) (${create.callNames.join(', ')}), ${create.changes} pushed change(s) about it, reply in ${create.replyMs.toFixed(1)} ms`
  )
  const pages = large ? await firstPages() : null
  if (pages) {
    out('')
    out(
      `tasks.list through the dispatcher (validation included), ${pages.tasks.toLocaleString('en')} tasks in the DB (seeded in ${pages.seedSeconds.toFixed(1)} s)`
    )
    out('page                                   median ms  p95 ms  rows')
    for (const t of pages.timings)
      out(
        `${t.what.padEnd(37)}  ${t.medianMs.toFixed(2).padStart(9)}  ${t.p95Ms.toFixed(2).padStart(6)}  ${String(t.rows).padStart(4)}`
      )
  } else {
    out('(run with --large for the first page of tasks.list with 1,000,000 tasks)')
  }
  if (json) {
    const open = phases.find((p) => p.window && p.running)
    out(
      JSON.stringify({
        lagP99MsWindowOpen: open ? Number(open.lagP99Ms.toFixed(2)) : null,
        lagP99MsNoWindow: Number((phases.find((p) => !p.window && p.running)?.lagP99Ms ?? 0).toFixed(2)),
        lagP99MsIdle: Number((phases.find((p) => !p.running)?.lagP99Ms ?? 0).toFixed(2)),
        bytesPushedPerSec: open?.bytesPerSec ? Math.round(open.bytesPerSec) : null,
        tasksPerSecWindowOpen: open ? Math.round(open.tasksPerSec) : null,
        createRoundTrips: create.calls,
        createPushedChanges: create.changes,
        ...(pages ? { firstPageMs1M: Number((pages.timings[0]?.medianMs ?? 0).toFixed(2)) } : {})
      })
    )
  }
}
