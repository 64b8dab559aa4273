import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger } from '../src/main/log/logger'
import { createTasksEngine } from '../src/main/tasks/tasks-engine'
import { percentile } from '../src/main/tasks/percentile'
import { createTaskIds } from '../src/main/tasks/task-id'
import { openTaskDb } from '../src/main/tasks/testing/task-db'
import type { Db } from '../src/main/db/database'
import { testConfig } from '../src/main/tasks/testing/test-config'
import type { TaskProcessor } from '../src/main/ports/task-processor'

/**
 * `inFlight`: at most `concurrency` tasks leased at a time (claim-ahead off), as a queue that
 * hands one job per free worker does. `batched`: the pool as it runs, claiming ahead while
 * tasks are quick. `created`: batched, with every task created through the engine's own
 * `create` (dedup key, event row) while the pool runs, timed from the first create.
 */
export type QueueMode = 'inFlight' | 'batched' | 'created'

export interface ThroughputResult {
  readonly mode: QueueMode
  readonly concurrency: number
  readonly synchronous: 'FULL' | 'NORMAL'
  readonly tasks: number
  readonly seconds: number
  readonly tasksPerSec: number
  /** Per task: from its slot freeing (or work being signalled) to its processor starting. */
  readonly claimMs: { readonly p50: number; readonly p99: number }
  /** CPU time of the whole process (event loop, and the thread pool's fsyncs) per task: steadier than tasks/s on a shared machine. */
  readonly cpuUsPerTask: number
  readonly eventRows: number
}

const NO_OP: TaskProcessor = {
  plan: () => ({ backend: 'bench', model: 'noop', heavy: false }),
  ensureReady: () => Promise.resolve(),
  process: () => Promise.resolve('done'),
  load: () => []
}

/** `tasks` pending no-op tasks in one transaction, with ids as the store makes them (time-ordered). */
export function seedPendingTasks(db: Db, tasks: number): void {
  const insert =
    db.prepare(`INSERT INTO tasks (id, title, description, priority, priority_rank, status, dedup_key, created_at, updated_at)
    VALUES (?, ?, 'no-op', 'normal', 1, 'pending', ?, ?, ?)`)
  const at = Date.now()
  const nextId = createTaskIds()
  db.transaction(() => {
    for (let i = 0; i < tasks; i++) insert.run(nextId(), `task ${i}`, `k${i}`, at, at)
  })()
}

/**
 * Claim→complete of `tasks` no-op tasks through the real engine on an
 * on-disk WAL database, every state change with its event row (a quick run's claim told in its completion's). The tasks
 * carry ids as the store makes them (time-ordered). Timed from
 * the pool's start until the last completion is committed.
 */
export async function measureThroughput(
  repoRoot: string,
  mode: QueueMode,
  concurrency: number,
  tasks: number,
  synchronous: 'FULL' | 'NORMAL',
  /** Changes the schema before the run: the ceilings of bench/queue-ceilings.ts. */
  prepare: (db: Db) => void = () => undefined
): Promise<ThroughputResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-queue-'))
  const db = openTaskDb(join(dir, 'kos.db'), repoRoot, { synchronous })
  try {
    prepare(db)
    if (mode !== 'created') seedPendingTasks(db, tasks)
    const claimWaits: number[] = []
    let completed = 0
    let finish: () => void = () => undefined
    const allDone = new Promise<void>((resolve) => (finish = resolve))
    const { logger } = createLogger({ write: () => undefined }, 'error')
    const engine = createTasksEngine({
      db,
      config: testConfig({
        'worker.maxConcurrency': concurrency,
        'worker.minConcurrency': concurrency,
        'worker.minAnswerChars': 0
      }),
      log: logger,
      processor: NO_OP,
      publish: (events) => {
        for (const e of events) if (e.kind === 'completed' && ++completed === tasks) finish()
      },
      publishConcurrency: () => undefined,
      machine: () => ({ cpuLoad: 0.1, freeMemoryRatio: 0.5 }),
      cycleMs: 3_600_000,
      observeClaim: (ms) => claimWaits.push(ms),
      claimAhead: mode !== 'inFlight',
      // As the app runs it: WAL checkpoints on their worker thread, not in the commit that crosses 1,000 pages.
      checkpointWorker: true
    })
    const started = performance.now()
    const cpuAtStart = process.cpuUsage()
    engine.start()
    if (mode === 'created') {
      // In waves, as many callers would: each create hashes its dedup key off the event loop.
      for (let i = 0; i < tasks; i += 256) {
        await Promise.all(
          Array.from({ length: Math.min(256, tasks - i) }, (_, k) =>
            engine.create({ title: `task ${i + k}`, description: `no-op task number ${i + k}` })
          )
        )
      }
    }
    await allDone
    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuAtStart)
    await engine.stop()
    const eventRows = (db.prepare('SELECT COUNT(*) AS n FROM task_events').get() as { n: number }).n
    claimWaits.sort((a, b) => a - b)
    return {
      mode,
      concurrency,
      synchronous,
      tasks,
      seconds,
      tasksPerSec: tasks / seconds,
      claimMs: { p50: percentile(claimWaits, 0.5), p99: percentile(claimWaits, 0.99) },
      cpuUsPerTask: (cpu.user + cpu.system) / tasks,
      eventRows
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
