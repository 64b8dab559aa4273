import { ProcessingError, type ProcessingPlan, type TaskForProcessing, type TaskProcessor } from '../ports/task-processor'
import type { Logger } from '../log/logger'
import type { TaskErrorType, TaskEvent } from '../../shared/contract/tasks-contract'
import { checkAnswer } from './answer-check'
import { retryDelayMs } from './retry-policy'
import { pickTasks, schedulerMemory, type Candidate } from './scheduler'
import type { Changes, Lease, TaskStore } from './task-store'
import type { TaskRow } from './task-row'

/** The pool's knobs, read afresh whenever used so live setting changes apply at once. */
export interface PoolSettings {
  readonly concurrency: number
  readonly maxAttempts: number
  readonly retryDelaySec: number
  readonly retryBackoff: number
  readonly retryJitter: number
  readonly stuckMs: number
  readonly heartbeatMs: number
  readonly requestTimeoutMs: number
  readonly minAnswerChars: number
  readonly minValidatorScore: number
  readonly heavyPerBackend: number
}

export interface PoolOptions {
  readonly store: TaskStore
  readonly owner: string
  readonly settings: () => PoolSettings
  /** Called with the events of each committed transaction. */
  readonly publish: (events: readonly TaskEvent[]) => void
  readonly log: Logger
  readonly now?: () => number
  readonly random?: () => number
  /** How often an idle pool looks for tasks whose retry time has come. */
  readonly pollMs?: number
  /** Told, for each task claimed, how long it waited from its slot freeing to the claim's commit. */
  readonly observeClaim?: (waitMs: number) => void
}

type StopReason = 'timeout' | 'cancelled' | 'shutdown' | 'lease_lost'

interface Run {
  readonly lease: Lease
  readonly plan: ProcessingPlan
  readonly abort: AbortController
  readonly startedAt: number
  stopReason: StopReason | null
  readonly done: Promise<void>
}

interface Claim {
  readonly lease: Lease
  readonly row: TaskRow
  readonly plan: ProcessingPlan
}

// Claiming ahead pays off only for tasks that finish in milliseconds (benchmarks, trivial
// processors); a real LLM task would sit leased but idle, so above this no task is claimed ahead.
const CLAIM_AHEAD_UNDER_MS = 20
const CLAIM_AHEAD_PER_SLOT = 32
const CLAIM_AHEAD_MAX = 256

interface Op {
  apply(changes: Changes): unknown
  resolve(value: unknown): void
  reject(error: unknown): void
}

export interface PoolStats {
  readonly running: number
  readonly attempts: number
  readonly failures: number
  readonly timeouts: number
}

/**
 * A continuous pool: a slot freed by a finishing task claims the next one in
 * the same commit. State changes are queued and committed in groups (one
 * transaction per turn of the event loop), and nothing is acknowledged —
 * no promise resolves, no event is pushed — before its commit.
 */
export function createWorkerPool(options: PoolOptions) {
  const { store, owner, log } = options
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const running = new Map<string, Run>()
  /** Claimed ahead while tasks are quick, so a freed slot starts the next one without waiting for a commit. */
  let ready: Claim[] = []
  let avgRunMs: number | null = null
  const memory = schedulerMemory()
  let processor: TaskProcessor | null = null
  /** Paused by a person (tray, Tasks view): running tasks finish, nothing new is claimed. */
  let paused = false
  let lastUnplannedLog = 0
  /** Why pending tasks are not being claimed right now, for the Tasks view; null while they are. */
  let waitingReason: string | null = null
  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle'
  let queue: Op[] = []
  let completions: { lease: Lease; result: string; latencyMs: number; resolve(accepted: boolean): void; reject(error: unknown): void }[] = []
  let flushScheduled = false
  let wantClaim = false
  let freedAt: number | null = null
  let timers: NodeJS.Timeout[] = []
  const stats = { attempts: 0, failures: 0, timeouts: 0 }

  function commit<T>(apply: (changes: Changes) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ apply, resolve: resolve as (value: unknown) => void, reject })
      scheduleFlush()
    })
  }

  function scheduleFlush(): void {
    if (flushScheduled) return
    flushScheduled = true
    setImmediate(flush)
  }

  function flush(): void {
    flushScheduled = false
    const ops = queue
    const done = completions
    queue = []
    completions = []
    const claim = wantClaim && state === 'running' && processor !== null && !paused
    const slotFreedAt = freedAt
    wantClaim = false
    freedAt = null
    if (ops.length === 0 && done.length === 0 && !claim) return
    const changes: Changes = []
    let results: unknown[] = []
    let accepted: boolean[] = []
    let started: Claim[] = []
    try {
      store.transaction(() => {
        results = ops.map((op) => op.apply(changes))
        accepted = store.completeMany(done, changes)
        if (claim) started = claimFree(changes)
      })
    } catch (error) {
      log.error('task queue commit failed', { error, operations: ops.length + done.length })
      for (const op of ops) op.reject(error)
      for (const d of done) d.reject(error)
      return
    }
    if (options.observeClaim && started.length > 0) {
      const wait = performance.now() - (slotFreedAt ?? performance.now())
      for (let i = 0; i < started.length; i++) options.observeClaim(wait)
    }
    if (changes.length > 0) options.publish(changes)
    ops.forEach((op, i) => op.resolve(results[i]))
    done.forEach((d, i) => d.resolve(accepted[i] ?? false))
    ready.push(...started)
    startReady()
  }

  function startReady(): void {
    const limit = options.settings().concurrency
    while (running.size < limit && ready.length > 0 && state === 'running') {
      const next = ready.shift() as Claim
      startRun(next.lease, next.row, next.plan)
    }
  }

  function claimAhead(concurrency: number): number {
    return avgRunMs !== null && avgRunMs < CLAIM_AHEAD_UNDER_MS ? Math.min(CLAIM_AHEAD_MAX, concurrency * CLAIM_AHEAD_PER_SLOT) : 0
  }

  function claimFree(changes: Changes): Claim[] {
    const concurrency = options.settings().concurrency
    const free = Math.max(0, concurrency + claimAhead(concurrency) - running.size - ready.length)
    if (free === 0 || !processor) return []
    const settings = options.settings()
    const rows = store.candidates(free + Math.min(free, 16), settings.maxAttempts)
    const candidates: Candidate<TaskRow>[] = []
    let unplanned: { taskId: string; reason: string } | null = null
    for (const row of rows) {
      try {
        candidates.push({ item: row, rank: row.priority_rank, plan: processor.plan(forProcessing(row)) })
      } catch (error) {
        unplanned ??= { taskId: row.id, reason: (error as Error).message }
      }
    }
    waitingReason = candidates.length === 0 && unplanned ? unplanned.reason : null
    // Tasks that cannot be planned wait as pending; said once a minute, not once per poll.
    if (unplanned && Date.now() - lastUnplannedLog > 60_000) {
      lastUnplannedLog = Date.now()
      log.info('tasks wait: no plan', { task_id: unplanned.taskId, reason: unplanned.reason })
    }
    const busy = [...[...running.values()].map((r) => r.plan), ...ready.map((r) => r.plan)]
    const picks = pickTasks(candidates, busy, free, { heavyPerBackend: settings.heavyPerBackend }, memory)
    const leases = store.claimMany(
      picks.map((p) => ({ taskId: p.item.id, backend: p.plan.backend, model: p.plan.model })),
      owner,
      settings.maxAttempts,
      changes
    )
    const byId = new Map(picks.map((p) => [p.item.id, p]))
    return leases.map((lease) => {
      const pick = byId.get(lease.taskId) as Candidate<TaskRow>
      return { lease, row: pick.item, plan: pick.plan }
    })
  }

  function wake(): void {
    if (state !== 'running' || !processor || paused) return
    wantClaim = true
    scheduleFlush()
  }

  function startRun(lease: Lease, row: TaskRow, plan: ProcessingPlan): void {
    const abort = new AbortController()
    let resolveDone: () => void = () => undefined
    const done = new Promise<void>((resolve) => (resolveDone = resolve))
    const run: Run = { lease, plan, abort, startedAt: now(), stopReason: null, done }
    running.set(lease.taskId, run)
    stats.attempts++
    void execute(run, row).finally(resolveDone)
  }

  function stopRun(run: Run, reason: StopReason): void {
    if (run.stopReason) return
    run.stopReason = reason
    run.abort.abort(new Error(reason))
  }

  async function execute(run: Run, row: TaskRow): Promise<void> {
    const active = processor
    const settings = options.settings()
    const timer = setTimeout(() => stopRun(run, 'timeout'), settings.requestTimeoutMs)
    const task = forProcessing(row)
    let outcome: { ok: true; answer: string } | { ok: false; type: TaskErrorType; message: string } | null = null
    try {
      if (!active) throw new ProcessingError('connection_error', 'no model backend is connected')
      const signal = run.abort.signal
      await untilAborted(active.ensureReady(run.plan, signal), signal)
      const answer = await untilAborted(
        active.process(task, run.plan, {
          signal,
          progress: (message) => void commit((changes) => store.progress(run.lease, message, changes)).catch(() => undefined)
        }),
        signal
      )
      const verdict = checkAnswer(answer, row, settings.minAnswerChars)
      if (!verdict.ok) outcome = { ok: false, type: verdict.type, message: verdict.reason }
      else if (active.score) {
        const score = await untilAborted(active.score(task, answer, signal), signal)
        outcome = score < settings.minValidatorScore
          ? { ok: false, type: 'validation_failed', message: `the validator scored the answer ${score.toFixed(2)}, under ${settings.minValidatorScore}` }
          : { ok: true, answer }
      } else outcome = { ok: true, answer }
    } catch (error) {
      outcome = classify(error, run, settings.requestTimeoutMs)
    } finally {
      clearTimeout(timer)
      running.delete(run.lease.taskId)
      const took = now() - run.startedAt
      avgRunMs = avgRunMs === null ? took : avgRunMs * 0.8 + took * 0.2
      wantClaim = true
      freedAt ??= performance.now()
      startReady()
    }
    await settle(run, outcome)
  }

  async function settle(run: Run, outcome: { ok: true; answer: string } | { ok: false; type: TaskErrorType; message: string }): Promise<void> {
    if (run.stopReason === 'cancelled' || run.stopReason === 'lease_lost') {
      scheduleFlush()
      return
    }
    if (run.stopReason === 'shutdown') {
      await commit((changes) => store.release(run.lease, 'released at shutdown; runs again on the next start', changes)).catch(() => undefined)
      return
    }
    const settings = options.settings()
    const latency = now() - run.startedAt
    try {
      if (outcome.ok) {
        const accepted = await new Promise<boolean>((resolve, reject) => {
          completions.push({ lease: run.lease, result: outcome.answer, latencyMs: latency, resolve, reject })
          scheduleFlush()
        })
        if (!accepted) log.warn('late result discarded: the task is no longer held by this run', { task_id: run.lease.taskId, attempt: run.lease.attempt })
        return
      }
      stats.failures++
      if (outcome.type === 'timeout') stats.timeouts++
      const retryAt = now() + retryDelayMs({ delaySec: settings.retryDelaySec, backoff: settings.retryBackoff, jitter: settings.retryJitter }, run.lease.attempt, random)
      const status = await commit((changes) => store.fail(run.lease, outcome.message, outcome.type, settings.maxAttempts, retryAt, changes))
      log.info('task attempt failed', { task_id: run.lease.taskId, attempt: run.lease.attempt, error_type: outcome.type, error: outcome.message, now: status ?? 'lease lost' })
    } catch {
      // The commit failure is logged by flush; the lease lapses and the task is reclaimed.
    }
  }

  function heartbeat(): void {
    const leases = [...[...running.values()].filter((r) => !r.stopReason).map((r) => r.lease), ...ready.map((r) => r.lease)]
    if (leases.length === 0) return
    void commit(() => store.heartbeat(leases))
      .then((lost) => {
        for (const taskId of lost) {
          const run = running.get(taskId)
          if (run) stopRun(run, 'lease_lost')
        }
        ready = ready.filter((r) => !lost.includes(r.lease.taskId))
      })
      .catch(() => undefined)
  }

  function sweep(): void {
    const settings = options.settings()
    void commit((changes) => store.reclaimLapsed(owner, now() - settings.stuckMs, settings.maxAttempts, changes))
      .then((reclaimed) => {
        if (reclaimed.length > 0) log.warn('reclaimed tasks whose lease lapsed', { tasks: reclaimed.length })
        for (const taskId of reclaimed) {
          const run = running.get(taskId)
          if (run) stopRun(run, 'lease_lost')
        }
        ready = ready.filter((r) => !reclaimed.includes(r.lease.taskId))
        wake()
      })
      .catch(() => undefined)
  }

  function schedule(fn: () => void, ms: () => number): void {
    const tick = (): void => {
      fn()
      if (state === 'running') timers.push(setTimeout(tick, ms()))
    }
    timers.push(setTimeout(tick, ms()))
  }

  return {
    /** Reclaims what a dead process held, then runs until stop(). */
    start(): void {
      if (state !== 'idle') return
      state = 'running'
      sweep()
      schedule(heartbeat, () => options.settings().heartbeatMs)
      schedule(sweep, () => Math.min(60_000, Math.max(1_000, options.settings().stuckMs / 4)))
      schedule(wake, () => options.pollMs ?? 1_000)
    },
    setProcessor(next: TaskProcessor | null): void {
      processor = next
      wake()
    },
    hasProcessor: (): boolean => processor !== null,
    setPaused(next: boolean): void {
      paused = next
      if (!paused) wake()
    },
    isPaused: (): boolean => paused,
    waitingReason: (): string | null => waitingReason,
    wake,
    heartbeat,
    /** Runs `apply` in the next group commit; resolves after it is committed. */
    commit,
    /** Aborts a run of this pool whose task was cancelled. */
    cancelRun(taskId: string): void {
      const run = running.get(taskId)
      if (run) stopRun(run, 'cancelled')
      ready = ready.filter((r) => r.lease.taskId !== taskId)
    },
    runningPlans: (): ProcessingPlan[] => [...running.values()].map((r) => r.plan),
    stats: (): PoolStats => ({ running: running.size, ...stats }),
    state: () => state,
    /**
     * Stops claiming, lets running tasks finish until the deadline, then
     * aborts the rest and releases their leases so the next start runs them
     * at once.
     */
    async stop(deadlineMs: number): Promise<void> {
      if (state === 'stopped' || state === 'stopping') return
      state = 'stopping'
      for (const t of timers) clearTimeout(t)
      timers = []
      const all = Promise.all([...running.values()].map((r) => r.done))
      let deadline: NodeJS.Timeout | undefined
      await Promise.race([all, new Promise<void>((resolve) => (deadline = setTimeout(resolve, deadlineMs)))])
      clearTimeout(deadline)
      const left = [...running.values()]
      const unstarted = ready
      ready = []
      for (const run of left) stopRun(run, 'shutdown')
      const leases = [...left.map((run) => run.lease), ...unstarted.map((r) => r.lease)]
      if (leases.length > 0) {
        await commit((changes) => leases.map((lease) => store.release(lease, 'released at shutdown; runs again on the next start', changes))).catch(() => undefined)
        log.info('released leases at shutdown', { running: left.length, claimed_ahead: unstarted.length })
      }
      await commit(() => undefined).catch(() => undefined)
      state = 'stopped'
    }
  }
}

export type WorkerPool = ReturnType<typeof createWorkerPool>

function forProcessing(row: TaskRow): TaskForProcessing {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    domain: row.domain,
    priority: row.priority,
    assigneeExpert: row.assignee_expert,
    preferredBackend: row.preferred_backend,
    preferredModel: row.preferred_model,
    correlationId: `task-${row.id}-${row.attempt_count + 1}`
  }
}

/** Settles with the work, or rejects as soon as the signal aborts even if the work ignores it. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error as Error)
      }
    )
  })
}

function classify(error: unknown, run: Run, timeoutMs: number): { ok: false; type: TaskErrorType; message: string } {
  if (run.stopReason === 'timeout') return { ok: false, type: 'timeout', message: `no answer within ${Math.round(timeoutMs / 1000)} s` }
  if (error instanceof ProcessingError) return { ok: false, type: error.type, message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  if (/ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|fetch failed/i.test(message)) return { ok: false, type: 'connection_error', message }
  if (/out of memory|\boom\b|metal/i.test(message)) return { ok: false, type: 'oom_or_metal', message }
  return { ok: false, type: 'other', message }
}
