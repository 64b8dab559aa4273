import { randomUUID } from 'node:crypto'
import { fsync } from 'node:fs'
import { cpus, freemem, hostname, loadavg, totalmem } from 'node:os'
import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import { createWalCheckpoints } from '../db/wal-checkpoints'
import { createWalSync, type WalSync } from '../db/wal-sync'
import type { Logger } from '../log/logger'
import type { BackendLimits } from '../ports/backend-limits'
import type { TaskProcessor } from '../ports/task-processor'
import type {
  Concurrency,
  EngineState,
  Task,
  TaskCreateInput,
  TaskEvent,
  TasksChanged
} from '../../shared/contract/tasks-contract'
import {
  createConcurrencyController,
  DEFAULT_CONTROLLER,
  type ControllerOptions,
  type LoadInputs
} from './adaptive-concurrency'
import { dedupKey, dedupKeyNow } from './dedup-key'
import { createTaskStore, type Changes, type CreateOutcome, type Reassignment, type TaskInsert } from './task-store'
import type { PoolSettings } from './pool-options'
import { createWorkerPool } from './worker-pool'
import { createHeldClaimsMark } from './held-claims-mark'

export interface TasksEngineOptions {
  readonly db: Db
  readonly config: Pick<ConfigService, 'get'>
  readonly log: Logger
  /** The events of each committed write, for watchers inside the core. */
  readonly publish: (events: readonly TaskEvent[]) => void
  /** What each committed write changed, for the windows, the tray and the Overview (`tasks.changed`). */
  readonly publishChanged?: (changed: TasksChanged) => void
  readonly publishConcurrency: (value: Concurrency) => void
  /** Told when the engine's state changes by itself (the reason tasks wait), to push `tasks.engineChanged`. */
  readonly engineChanged?: () => void
  readonly processor: TaskProcessor | null
  readonly now?: () => number
  /** The clock run deadlines are measured on (performance.now); it stands still while the machine sleeps. */
  readonly monotonic?: () => number
  readonly random?: () => number
  /** Overrides for tests; the app uses DEFAULT_CONTROLLER and a 10 s cycle. */
  readonly controller?: Partial<Omit<ControllerOptions, 'floor' | 'ceiling'>>
  readonly cycleMs?: number
  readonly pollMs?: number
  /** Replaces the machine readings, for tests. */
  readonly machine?: () => { cpuLoad: number; freeMemoryRatio: number }
  readonly observeClaim?: (waitMs: number) => void
  /** False turns claiming ahead off (worker-pool.ts); for bench:queue. */
  readonly claimAhead?: boolean
  /** Replaces the WAL flush, for tests that hold it. */
  readonly wal?: WalSync
  /** True: WAL checkpoints run on a worker thread, off the event loop that commits (wal-checkpoints.ts); the app and bench:queue set it. */
  readonly checkpointWorker?: boolean
  /** Why the pool may not start new tasks now (the disk monitor's pause), or null. */
  readonly holdClaims?: () => string | null
  /** Per-node caps: the scheduler respects them, and the controller never sizes the pool above what the reachable nodes take. */
  readonly backendLimits?: BackendLimits
}

export const DEDUP_WINDOW_DAYS = 30

/**
 * The task capability's engine: the store, the pool that works the queue,
 * and the adaptive controller that sizes it. Without a processor the pool
 * claims nothing and tasks wait as pending.
 */
export function createTasksEngine(options: TasksEngineOptions) {
  const { config, log } = options
  const now = options.now ?? Date.now
  const store = createTaskStore(options.db, now)
  const wal =
    options.wal ??
    createWalSync(options.db, fsync, options.checkpointWorker ? createWalCheckpoints(options.db, log) : null)
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  const heldClaims = options.db.memory ? null : createHeldClaimsMark(`${options.db.name}-held`, log)
  const controller = createConcurrencyController({
    ...DEFAULT_CONTROLLER,
    ...options.controller,
    floor: () => config.get('worker.minConcurrency'),
    ceiling: () => Math.min(config.get('worker.maxConcurrency'), options.backendLimits?.capacity() ?? Infinity)
  })
  const settings = (): PoolSettings => ({
    concurrency: controller.value,
    maxAttempts: config.get('worker.maxAttempts'),
    retryDelaySec: config.get('worker.retryDelaySec'),
    retryBackoff: config.get('worker.retryBackoff'),
    retryJitter: config.get('worker.retryJitter'),
    stuckMs: config.get('worker.stuckMinutes') * 60_000,
    heartbeatMs: config.get('worker.heartbeatSec') * 1000,
    requestTimeoutMs: config.get('llm.requestTimeoutSec') * 1000,
    minAnswerChars: config.get('worker.minAnswerChars'),
    minValidatorScore: config.get('worker.minValidatorScore'),
    heavyPerBackend: config.get('worker.heavyPerBackend'),
    backendWindowMs: config.get('models.circuitWindowSec') * 1000
  })
  const listeners = new Set<(events: readonly TaskEvent[]) => void>()
  const publish = (events: readonly TaskEvent[], changed: TasksChanged): void => {
    options.publish(events)
    options.publishChanged?.(changed)
    for (const listener of listeners) listener(events)
  }
  const pool = createWorkerPool({
    store,
    wal,
    owner,
    settings,
    publish,
    log,
    now,
    ...(options.random ? { random: options.random } : {}),
    ...(options.monotonic ? { monotonic: options.monotonic } : {}),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.observeClaim ? { observeClaim: options.observeClaim } : {}),
    ...(options.claimAhead === false ? { claimAhead: false } : {}),
    ...(options.engineChanged ? { onWaitingChanged: options.engineChanged } : {}),
    ...(options.holdClaims ? { holdClaims: options.holdClaims } : {}),
    ...(heldClaims ? { heldClaims } : {}),
    ...(options.backendLimits ? { backendLimits: options.backendLimits } : {})
  })
  pool.setProcessor(options.processor)

  let processor = options.processor
  let lastStats = pool.stats()
  let cycleTimer: NodeJS.Timeout | null = null
  let concurrency: Concurrency = controller.next(() => readLoad(), now())

  function readLoad(): LoadInputs {
    const machine = options.machine?.() ?? {
      cpuLoad: (loadavg()[0] ?? 0) / Math.max(1, cpus().length),
      freeMemoryRatio: freemem() / totalmem()
    }
    const loads = processor?.load() ?? []
    const stats = pool.stats()
    const attempts = stats.attempts - lastStats.attempts
    const failures = stats.failures - lastStats.failures
    const timeouts = stats.timeouts - lastStats.timeouts
    lastStats = stats
    const latencies = loads.flatMap((l) => (l.latencyMs === null ? [] : [l.latencyMs]))
    return {
      ...machine,
      activeRequests: loads.reduce((sum, l) => sum + l.activeRequests, 0),
      latencyMs: latencies.length ? Math.max(...latencies) : null,
      errorRate: Math.max(attempts > 0 ? failures / attempts : 0, ...loads.map((l) => l.errorRate)),
      oomRecently: loads.some((l) => l.oomRecently),
      timeoutsRecently: timeouts
    }
  }

  function cycle(): void {
    const before = concurrency.effective
    concurrency = controller.next(readLoad, now())
    log.info('concurrency cycle', {
      n: concurrency.effective,
      floor: concurrency.floor,
      ceiling: concurrency.ceiling,
      reason: concurrency.reason,
      cpu_load: Number(concurrency.cpuLoad.toFixed(2)),
      free_memory: Number(concurrency.freeMemoryRatio.toFixed(2)),
      active_requests: concurrency.activeRequests,
      latency_ms: concurrency.latencyMs,
      error_rate: Number(concurrency.errorRate.toFixed(2)),
      oom: concurrency.oomRecently
    })
    options.publishConcurrency(concurrency)
    if (concurrency.effective > before) pool.wake()
  }

  const toInsert = (input: TaskCreateInput, key: string): TaskInsert => ({
    title: input.title.trim(),
    description: input.description.trim(),
    domain: input.domain ?? null,
    priority: input.priority ?? 'normal',
    assigneeExpert: input.assigneeExpert ?? null,
    parentTaskId: input.parentTaskId ?? null,
    preferredBackend: input.preferredBackend ?? null,
    preferredModel: input.preferredModel ?? null,
    metadata: input.metadata ?? {},
    batchGroup: input.batchGroup ?? null,
    dedupKey: key
  })

  async function commitAndPublish<T>(fn: (changes: Changes) => T): Promise<T> {
    return pool.commit(fn)
  }

  return {
    store,
    owner,
    start(): void {
      pool.start()
      const every = options.cycleMs ?? 10_000
      const tick = (): void => {
        cycle()
        cycleTimer = setTimeout(tick, every)
      }
      cycleTimer = setTimeout(tick, every)
    },
    /** After sleep: prove the runs alive before anything judges their heartbeats stale, then look for work; resolves once the heartbeats are committed. */
    async resume(): Promise<void> {
      pool.heartbeat()
      pool.wake()
      await pool.commit(() => undefined)
    },
    setProcessor(next: TaskProcessor | null): void {
      processor = next
      pool.setProcessor(next)
    },
    /** Pause or resume autoprocessing (tray, Tasks view); tasks already running finish either way. */
    setPaused(next: boolean): void {
      pool.setPaused(next)
      log.info(next ? 'autoprocessing paused' : 'autoprocessing resumed')
    },
    /**
     * One write of the next group commit: creates made together commit and
     * flush together (a transaction of its own each cost an fsync on the
     * event loop), the same group claims the new task if a slot is free, and
     * the group's `tasks.changed` carries it. Resolves once it is on disk.
     */
    async create(input: TaskCreateInput): Promise<CreateOutcome> {
      const key = await dedupKey(input.title.trim(), input.description.trim(), input.assigneeExpert ?? null)
      const created = pool.commit((changes) => store.insert(toInsert(input, key), DEDUP_WINDOW_DAYS, changes))
      pool.wake()
      return created
    },
    /** For callers inside the core that need the task at once (the chat pipeline): its own transaction, hashed on this thread. */
    createNow(input: TaskCreateInput): CreateOutcome {
      const key = dedupKeyNow(input.title.trim(), input.description.trim(), input.assigneeExpert ?? null)
      const outcome = store.create(toInsert(input, key), DEDUP_WINDOW_DAYS)
      if (outcome.ok) {
        publish(outcome.events, store.describeChanges(outcome.events))
        pool.wake()
      }
      return outcome
    },
    /** Every committed batch of events, for in-process watchers. */
    onEvents(listener: (events: readonly TaskEvent[]) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async cancel(id: string): Promise<Task | null> {
      const task = await commitAndPublish((changes) => store.cancel(id, changes))
      if (task) pool.cancelRun(id)
      return task
    },
    async requeue(ids: readonly string[] | 'all_deferred', reassign?: Reassignment): Promise<string[]> {
      const requeued = await commitAndPublish((changes) => store.requeue(ids, changes, reassign))
      pool.wake()
      return requeued
    },
    state(): EngineState {
      const poolState = pool.state()
      return {
        processorConnected: processor !== null,
        paused: pool.isPaused(),
        waiting: options.holdClaims?.() ?? pool.waitingReason(),
        state: poolState,
        running: pool.stats().running,
        concurrency
      }
    },
    async stop(): Promise<void> {
      if (cycleTimer) clearTimeout(cycleTimer)
      await pool.stop(config.get('worker.shutdownDeadlineSec') * 1000)
      await wal.close()
    }
  }
}

export type TasksEngine = ReturnType<typeof createTasksEngine>
