import type { Logger } from '../log/logger'
import type { BackendBlame } from './backend-blame'
import type { GroupCommit } from './group-commit'
import { retryDelayMs } from './retry-policy'
import type { Outcome, TaskRun } from './task-run'
import type { TaskStore } from './task-store'
import type { PoolSettings } from './pool-options'

// A task put back because its backend failed is not claimed again sooner than this, so a backend that fails at once is not asked in a tight loop.
export const BACKEND_RETRY_MS = 1_000
// A write whose group failed needs nothing more: the commit logged it, and the lease lapses so the task is reclaimed.
export const ignore = (): void => undefined

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

  return function settle(run: TaskRun, outcome: Outcome, latencyMs: number): void {
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
      group.write((changes) => store.complete(lease, outcome.answer, latencyMs, changes), accepted, ignore)
      return
    }
    if ('retryAfterMs' in outcome && !blame.onTaskAfterAll(run.lease.taskId, run.task)) {
      // Not the task's failure: no attempt is counted, and the reason is what the task and the engine show while it waits.
      options.setWaiting(outcome.message)
      const retryAt = now() + Math.max(outcome.retryAfterMs, BACKEND_RETRY_MS)
      group.write(
        (changes) => {
          store.wait(lease, outcome.message, outcome.type, retryAt, changes)
          blame.giveBackLookalikes(outcome.type, outcome.retryAfterMs, changes)
        },
        ignore,
        ignore
      )
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
    group.write(
      (changes) => store.fail(lease, outcome.message, outcome.type, maxAttempts, retryAt, changes),
      (status) =>
        log.info('task attempt failed', {
          correlation_id: run.task.correlationId,
          task_id: lease.taskId,
          attempt: lease.attempt,
          error_type: outcome.type,
          error: outcome.message,
          now: status ?? 'lease lost'
        }),
      ignore
    )
  }
}
