import type { ProcessingPlan, TaskProcessor } from '../ports/task-processor'
import { createBackendBlame } from './backend-blame'
import { createCallSlots } from './call-slots'
import { createGroupCommit } from './group-commit'
import { createPoolClaims } from './pool-claims'
import { createPoolHeldClaims } from './pool-held-claims'
import { createRunAttempts } from './run-attempt'
import { BACKEND_RETRY_MS, createRunSettlement, ignore } from './run-settlement'
import { callsOf } from './scheduler'
import { classify, TaskRun, type Claim, type Outcome, type StopReason } from './task-run'
import type { PoolOptions } from './pool-options'
import type { Changes, LeaseRef } from './task-store'

// Claiming ahead pays off only for tasks that finish in milliseconds (benchmarks, trivial
// processors); a real LLM task would sit leased but idle, so above this no task is claimed ahead.
const CLAIM_AHEAD_UNDER_MS = 20
const CLAIM_AHEAD_PER_SLOT = 32
const CLAIM_AHEAD_MAX = 256
// The most runs started in one turn of the event loop, and so about the most tasks one group commit settles. Against 32:
// quick tasks run 1.2x as fast (bench:queue batched at c = 8: 46-48k tasks/s against 38-39k; bench:views with a window
// open: 29k against 24k), and the loop's lag p99 at full speed is 9.2-9.6 ms against 8.0-8.2 (the target is 20 ms).
export const RUNS_PER_TURN = 64
const RELEASED = 'released at shutdown; runs again on the next start'
const WAITING_POLL_MS = 250

export interface PoolStats {
  readonly running: number
  readonly attempts: number
  readonly failures: number
  readonly timeouts: number
}

/**
 * A continuous pool: a slot freed by a finishing task claims the next one in
 * the same group commit (see group-commit.ts), and nothing is acknowledged
 * before its commit.
 */
export function createWorkerPool(options: PoolOptions) {
  const { store, owner, log } = options
  const now = options.now ?? Date.now
  const monotonic = options.monotonic ?? (() => performance.now())
  const random = options.random ?? Math.random
  const running = new Map<string, TaskRun>()
  /** Slots are model calls: the tasks of one batch take one together. */
  const calls = createCallSlots()
  const attempt = createRunAttempts(now)
  /** Claimed ahead while tasks are quick, so a freed slot starts the next one without waiting for a commit. */
  let ready: Claim[] = []
  let avgRunMs: number | null = null
  let processor: TaskProcessor | null = null
  /** Paused by a person (tray, Tasks view): running tasks finish, nothing new is claimed. */
  let paused = false
  const blame = createBackendBlame({
    store,
    processor: () => processor,
    now,
    windowMs: () => settings.backendWindowMs,
    minRetryMs: BACKEND_RETRY_MS
  })
  const held = createPoolHeldClaims(options.heldClaims, log)
  const claims = createPoolClaims({
    store,
    owner,
    log,
    blame,
    backendLimits: options.backendLimits,
    onWaitingChanged: options.onWaitingChanged
  })
  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle'
  /** Read again at every group commit, so a changed setting applies within a turn of the event loop. */
  let settings = options.settings()
  let wantClaim = false
  /** For observeClaim only: when each free slot freed, oldest first, and when work was last signalled. */
  const freedSlots: number[] = []
  let startedPoolAt = 0
  let signalledAt = 0
  /** Told when the last run ends while stop() waits for them. */
  let drained: (() => void) | null = null
  let timers: NodeJS.Timeout[] = []
  let deadlineTimer: NodeJS.Timeout | null = null
  let deadlineAt = Infinity
  const stats = { attempts: 0, failures: 0, timeouts: 0 }
  const group = createGroupCommit({
    transaction: store.transaction,
    wal: options.wal,
    describe: store.describeChanges,
    publish: options.publish,
    log,
    begin: announceRunning,
    finish: claimInCommit
  })
  const settlement = createRunSettlement({
    store,
    group,
    log,
    blame,
    now,
    random,
    settings: () => settings,
    setWaiting: claims.setWaiting,
    counts: stats
  })

  /**
   * Runs started since the last group whose claim has no event yet: the first step of the next group writes it for
   * each run still going. A run that ended first says where it ran in its 'completed' event, so a quick task writes
   * one event row instead of two. A run stays listed until it ends or a group finds its claim announced, since the
   * group that announced it may roll back (which unannounces it).
   */
  let unannounced: TaskRun[] = []
  function announceRunning(changes: Changes): void {
    if (unannounced.length === 0) return
    unannounced = unannounced.filter((run) => !run.ended && !run.lease.announced)
    const lost = unannounced.filter((run) => !store.announce(run.lease, changes))
    if (lost.length > 0) forget(lost.map((run) => run.lease))
  }

  /** The last step of every group commit: refill free slots, started once the claims are committed. */
  function claimInCommit(changes: Changes): (() => void) | null {
    settings = options.settings()
    const claim =
      wantClaim && state === 'running' && processor !== null && !paused && (options.holdClaims?.() ?? null) === null
    wantClaim = false
    const started = claim ? claimFree(changes) : []
    if (started.length === 0) return null
    return () => {
      held.starting(started)
      ready.push(...started)
      startReady()
    }
  }

  // Tasks that finish at once start the next claimed one in the same turn of the event loop; after this many, the
  // rest start at the next turn, so a burst of quick tasks never holds the loop (and every window's updates) for long.
  let startedThisTurn = 0
  let yielding = false
  function startReady(): void {
    while (
      ready.length > 0 &&
      state === 'running' &&
      (calls.inFlight(running.size) < settings.concurrency || calls.rides((ready[0] as Claim).plan))
    ) {
      if (++startedThisTurn > RUNS_PER_TURN) return yieldTurn()
      startRun(ready.shift() as Claim)
    }
  }

  function yieldTurn(): void {
    if (yielding) return
    yielding = true
    setImmediate(() => {
      yielding = false
      startedThisTurn = 0
      startReady()
    })
  }

  const quick = (): boolean => avgRunMs !== null && avgRunMs < CLAIM_AHEAD_UNDER_MS

  function claimAhead(concurrency: number): number {
    if (options.claimAhead === false) return 0
    return quick() ? Math.min(CLAIM_AHEAD_MAX, concurrency * CLAIM_AHEAD_PER_SLOT) : 0
  }

  function claimFree(changes: Changes): Claim[] {
    const busy = [...[...running.values()].map((r) => r.plan), ...ready.map((r) => r.plan)]
    const taken = callsOf(busy)
    const free = Math.max(0, settings.concurrency + claimAhead(settings.concurrency) - taken)
    if (!processor) return []
    // Every slot busy: pending tasks wait for one, not for whatever reason the last claim found.
    if (free === 0) {
      claims.setWaiting(null)
      return []
    }
    return claims.claim(
      {
        processor,
        free,
        startNow: settings.concurrency - taken,
        busy,
        maxAttempts: settings.maxAttempts,
        heavyPerBackend: settings.heavyPerBackend,
        hold: held.may(quick()),
        held: held.tasks(ready)
      },
      changes
    )
  }

  function wake(): void {
    if (state !== 'running' || !processor || paused) return
    signalledAt = performance.now()
    wantClaim = true
    group.schedule()
  }

  function startRun(claim: Claim): void {
    if (options.observeClaim) {
      const at = performance.now()
      options.observeClaim(at - Math.max(freedSlots.shift() ?? startedPoolAt, signalledAt))
    }
    const startedAt = now()
    const run = new TaskRun(claim, startedAt, monotonic() + settings.requestTimeoutMs, reportProgress)
    running.set(run.lease.taskId, run)
    calls.add(run.plan)
    if (!run.lease.announced) {
      unannounced.push(run)
      group.schedule()
    }
    held.started(run)
    stats.attempts++
    if (run.deadline < deadlineAt) armDeadline(run.deadline)
    attempt(processor, run, settings, endRun)
  }

  function reportProgress(run: TaskRun, message: string): void {
    if (!run.ended) group.write((changes) => store.progress(run.lease, message, changes), ignore, ignore)
  }

  // One timer for every run's deadline, armed at the earliest: a timer per run would cost more than a quick task.
  function armDeadline(at: number): void {
    if (deadlineTimer) clearTimeout(deadlineTimer)
    deadlineAt = at
    deadlineTimer = setTimeout(timeOut, Math.max(0, at - monotonic()))
  }

  function timeOut(): void {
    deadlineTimer = null
    deadlineAt = Infinity
    const at = monotonic()
    let next = Infinity
    for (const run of running.values()) {
      if (run.stopReason) continue
      if (run.deadline <= at) stopRun(run, 'timeout')
      else next = Math.min(next, run.deadline)
    }
    if (next !== Infinity) armDeadline(next)
  }

  /** Ends a run at once, even if its processor ignores the abort; its late answer is then ignored. */
  function stopRun(run: TaskRun, reason: StopReason): void {
    if (!run.stop(reason)) return
    const outcome = classify(new Error(reason), run, settings.requestTimeoutMs)
    queueMicrotask(() => endRun(run, outcome))
  }

  function endRun(run: TaskRun, outcome: Outcome): void {
    if (run.ended) return
    run.ended = true
    running.delete(run.lease.taskId)
    calls.remove(run.plan)
    const took = now() - run.startedAt
    avgRunMs = avgRunMs === null ? took : avgRunMs * 0.8 + took * 0.2
    wantClaim = true
    if (options.observeClaim) freedSlots.push(performance.now())
    startReady()
    settlement.settle(run, outcome, took)
    group.schedule()
    if (running.size > 0) return
    if (deadlineTimer) clearTimeout(deadlineTimer)
    deadlineTimer = null
    deadlineAt = Infinity
    drained?.()
  }

  /**
   * Stops the runs and drops the claims whose lease is gone. By token, not by task: a group is
   * acknowledged only after its flush, and by then the task may have been claimed again.
   */
  function forget(lost: readonly LeaseRef[]): void {
    if (lost.length === 0) return
    const tokens = new Set(lost.map((l) => l.token))
    for (const { taskId, token } of lost) {
      const run = running.get(taskId)
      if (run?.lease.token === token) stopRun(run, 'lease_lost')
    }
    ready = ready.filter((r) => !tokens.has(r.lease.token))
  }

  function heartbeat(): void {
    const leases = [
      ...[...running.values()].filter((r) => !r.stopReason).map((r) => r.lease),
      ...ready.map((r) => r.lease)
    ]
    if (leases.length > 0) group.write(() => store.heartbeat(leases), forget, ignore)
  }

  /**
   * Looks for leases gone stale. This pool's own live runs prove themselves
   * alive first, in the same group: a run is ended by its deadline, never
   * by a heartbeat that could not be written while the machine slept.
   */
  function sweep(): void {
    heartbeat()
    const { stuckMs, maxAttempts } = settings
    const reclaimed = (lapsed: LeaseRef[]): void => {
      if (lapsed.length > 0) log.warn('reclaimed tasks whose lease lapsed', { tasks: lapsed.length })
      forget(lapsed)
      wake()
    }
    group.write((changes) => store.reclaimLapsed(owner, now() - stuckMs, maxAttempts, changes), reclaimed, ignore)
  }

  /** Runs `fn` every `ms()` while running; each schedule keeps one slot in `timers`, so they do not pile up over a long day. */
  function schedule(fn: () => void, ms: () => number): void {
    const slot = timers.length
    const tick = (): void => {
      fn()
      if (state === 'running') timers[slot] = setTimeout(tick, ms())
    }
    timers.push(setTimeout(tick, ms()))
  }

  return {
    /** Reclaims what a dead process held, then runs until stop(). */
    start(): void {
      if (state !== 'idle') return
      state = 'running'
      startedPoolAt = performance.now()
      held.start()
      sweep()
      schedule(heartbeat, () => settings.heartbeatMs)
      schedule(sweep, () => Math.min(60_000, Math.max(1_000, settings.stuckMs / 4)))
      // While tasks wait for a failing backend, look four times as often: the first claim after it recovers is what the owner waits for.
      schedule(wake, () =>
        claims.waitingReason() === null ? (options.pollMs ?? 1_000) : Math.min(options.pollMs ?? 1_000, WAITING_POLL_MS)
      )
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
    waitingReason: claims.waitingReason,
    wake,
    heartbeat,
    /** Runs `apply` in the next group commit; resolves after it is committed. */
    commit: group.commit,
    /** Aborts a run of this pool whose task was cancelled. */
    cancelRun(taskId: string): void {
      const run = running.get(taskId)
      if (run) stopRun(run, 'cancelled')
      blame.forget(taskId)
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
      settlement.stop()
      for (const t of timers) clearTimeout(t)
      timers = []
      if (running.size > 0) {
        let deadline: NodeJS.Timeout | undefined
        await new Promise<void>((resolve) => {
          drained = resolve
          deadline = setTimeout(resolve, deadlineMs)
        })
        clearTimeout(deadline)
        drained = null
      }
      const left = [...running.values()]
      const unstarted = ready
      ready = []
      for (const run of left) stopRun(run, 'shutdown')
      const leases = [...left.map((run) => run.lease), ...unstarted.map((r) => r.lease)]
      if (leases.length > 0) {
        await group.commit((changes) => leases.map((lease) => store.release(lease, RELEASED, changes))).catch(ignore)
        log.info('released leases at shutdown', { running: left.length, claimed_ahead: unstarted.length })
      }
      await group.commit(ignore).catch(ignore)
      held.stopped()
      state = 'stopped'
    }
  }
}

export type WorkerPool = ReturnType<typeof createWorkerPool>
