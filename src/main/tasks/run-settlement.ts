import type { Logger } from '../log/logger'
import type { BackendBlame } from './backend-blame'
import type { GroupCommit } from './group-commit'
import { retryDelayMs } from './retry-policy'
import type { Outcome, TaskRun } from './task-run'
import type { Changes, TaskStore } from './task-store'
import type { PoolSettings } from './pool-options'

// A task put back because its backend failed is not claimed again sooner than this, so a backend that fails at once is not asked in a tight loop.
export const BACKEND_RETRY_MS = 1_000
// For a write whose result or failure needs nothing more (a heartbeat, progress): the commit logs a failure, and a
// lease not kept alive lapses, so its task is reclaimed.
export const ignore = (): void => undefined
/**
 * A settlement whose group failed (a full or read-only disk, SQLite's I/O errors) is written again after this,
 * doubling to REWRITE_MAX_MS: the answer is kept, and the task ends as soon as the disk takes it again instead
 * of showing Running until its lease lapses (worker.stuckMinutes). Each attempt is guarded by the run's lease.
 */
const REWRITE_FIRST_MS = 1_000
const REWRITE_MAX_MS = 30_000

/** Attempts and their failures since the pool started, for the adaptive controller. */
export interface RunCounts {
  attempts: number
  failures: number
  timeouts: number
}

/**
 * What an ended run's outcome writes, as one write of the next group commit:
 * the answer; a wait without an attempt counted when the backend failed, not
 * the task; or a failed attempt, retried later or sent to manual review.
 */
export function createRunSettlement(options: {
  readonly store: TaskStore
  readonly group: GroupCommit
  readonly log: Logger
  readonly blame: BackendBlame
  readonly now: () => number
  readonly random: () => number
  readonly settings: () => PoolSettings
  /** The reason pending tasks wait, when a backend's failure is it. */
  readonly setWaiting: (reason: string) => void
  readonly counts: RunCounts
}) {
  const { store, group, log, blame, now, counts } = options
  const rewrites = new Set<NodeJS.Timeout>()
  let stopped = false

  function durably<T>(apply: (changes: Changes) => T, done: (result: T) => void, delayMs = REWRITE_FIRST_MS): void {
    group.write(apply, done, () => {
      if (stopped) return
      const timer = setTimeout(() => {
        rewrites.delete(timer)
        durably(apply, done, Math.min(delayMs * 2, REWRITE_MAX_MS))
      }, delayMs)
      rewrites.add(timer)
    })
  }

  function settle(run: TaskRun, outcome: Outcome, latencyMs: number): void {
    // A stopped run's lease is already gone (cancelled, reclaimed) or released by stop().
    if (run.stopReason !== null && run.stopReason !== 'timeout') return
    const { lease } = run
    if (outcome.ok) {
      const accepted = (ok: boolean): void => {
        if (!ok)
          log.warn('late result discarded: the task is no longer held by this run', {
            correlation_id: run.task.correlationId,
            task_id: lease.taskId,
            attempt: lease.attempt
          })
      }
      blame.forget(lease.taskId)
      durably((changes) => store.complete(lease, outcome.answer, latencyMs, changes), accepted)
      return
    }
    if ('retryAfterMs' in outcome && ('disk' in outcome || !blame.onTaskAfterAll(run.lease.taskId, run.task))) {
      // Not the task's failure: no attempt is counted, and the reason is what the task and the engine show while it waits.
      options.setWaiting(outcome.message)
      const retryAt = now() + Math.max(outcome.retryAfterMs, BACKEND_RETRY_MS)
      durably((changes) => {
        store.wait(lease, outcome.message, outcome.type, retryAt, changes)
        if (!('disk' in outcome)) blame.giveBackLookalikes(outcome.type, outcome.retryAfterMs, changes)
      }, ignore)
      return
    }
    counts.failures++
    if (outcome.type === 'timeout') counts.timeouts++
    const settings = options.settings()
    const retryAt =
      now() +
      retryDelayMs(
        { delaySec: settings.retryDelaySec, backoff: settings.retryBackoff, jitter: settings.retryJitter },
        lease.attempt,
        options.random
      )
    const maxAttempts = settings.maxAttempts
    // Sent to a person, the task starts afresh if returned.
    if (lease.attempt >= maxAttempts) blame.forget(lease.taskId)
    durably(
      (changes) => store.fail(lease, outcome.message, outcome.type, maxAttempts, retryAt, changes),
      (status) =>
        log.info('task attempt failed', {
          correlation_id: run.task.correlationId,
          task_id: lease.taskId,
          attempt: lease.attempt,
          error_type: outcome.type,
          error: outcome.message,
          now: status ?? 'lease lost'
        })
    )
  }

  return {
    settle,
    /** At shutdown: a settlement still unwritten stays so; its lease lapses and the task runs again on the next start. */
    stop(): void {
      stopped = true
      for (const timer of rewrites) clearTimeout(timer)
      rewrites.clear()
    }
  }
}
