import type { Db } from '../db/database'
import type { TaskErrorType, TaskStatus } from '../../shared/contract/tasks-contract'
import type { EventWriter } from './task-event-writer'
import { AHEAD_MARK, type Changes, type LeaseRef } from './task-leases'
import type { StatusTally } from './status-tally'
import { CLAIMABLE_COLUMNS, type ClaimableRow } from './task-row'

/** In flight at this many consecutive crashes of the app, a task is taken for their cause and goes to manual review. */
export const POISON_CRASHES = 3

/**
 * Putting tasks right after what a run could not: leases that lapsed (a
 * crashed process, a run silent too long), attempts used up, and failures
 * that turn out to be the backend's rather than the task's.
 */
export function createTaskRecovery(
  db: Db,
  event: EventWriter,
  isoOf: (ms: number) => string,
  now: () => number,
  tally: StatusTally
) {
  const leaseHolders = db.prepare(
    "SELECT id, lease_owner, lease_token, heartbeat_at, attempt_count FROM tasks INDEXED BY tasks_running WHERE status = 'in_progress'"
  )
  const resetLapsed =
    db.prepare(`UPDATE tasks SET status = ?, last_error = ?, error_type = 'timeout', lease_owner = NULL, lease_token = NULL,
      heartbeat_at = NULL, updated_at = ?
    WHERE id = ? AND status = 'in_progress' RETURNING attempt_count`)
  // The process died, not the run: the attempt is given back, and the task goes after the others of its priority.
  const interruptOne =
    db.prepare(`UPDATE tasks SET status = ?, last_error = ?, error_type = 'interrupted', attempt_count = attempt_count - 1,
      interrupted_count = interrupted_count + ?, next_retry_after = NULL, lease_owner = NULL, lease_token = NULL, heartbeat_at = NULL, updated_at = ?
    WHERE id = ? AND status = 'in_progress' RETURNING attempt_count, interrupted_count`)
  // Few rows: a failed attempt waits for its retry time; read through the claimable index, which holds every failed task.
  const selectFailedSince = db.prepare(`SELECT ${CLAIMABLE_COLUMNS} FROM tasks INDEXED BY tasks_claimable
    WHERE status IN ('pending', 'failed') AND status = 'failed' AND error_type = ? AND updated_at >= ? LIMIT ?`)
  const giveBackOne =
    db.prepare(`UPDATE tasks SET status = 'pending', attempt_count = attempt_count - 1, last_error = ?, next_retry_after = ?, updated_at = ?
    WHERE id = ? AND status = 'failed' AND attempt_count > 0 RETURNING attempt_count, error_type`)
  const selectInterrupted = db
    .prepare('SELECT id FROM tasks INDEXED BY tasks_interrupted WHERE interrupted_count > 0')
    .pluck()
  const clearInterrupted = db.prepare('UPDATE tasks SET interrupted_count = 0 WHERE id = ? AND interrupted_count > 0')
  const exhaustedPending = db.prepare(
    "SELECT id, status, attempt_count FROM tasks INDEXED BY tasks_claimable WHERE status IN ('pending', 'failed') AND attempt_count >= ?"
  )
  const deferPoison =
    db.prepare(`UPDATE tasks SET status = 'deferred_to_human', last_error = ?, next_retry_after = NULL, updated_at = ?
    WHERE id = ? AND status = 'pending' RETURNING attempt_count`)
  const deferExhausted =
    db.prepare(`UPDATE tasks SET status = 'deferred_to_human', next_retry_after = NULL, updated_at = ?
    WHERE id = ? AND status = ? RETURNING attempt_count`)

  function interrupt(taskId: string, token: string, deadOwner: string | null, at: number, changes: Changes): boolean {
    const ran = !token.endsWith(AHEAD_MARK)
    const message = `interrupted: the app stopped while this task ${ran ? 'ran' : 'was claimed'} (${deadOwner ?? 'an unknown run'} is gone); no attempt counted`
    const row = interruptOne.get('pending', message, ran ? 1 : 0, at, taskId) as
      { attempt_count: number; interrupted_count: number } | undefined
    if (!row) return false
    tally.move('in_progress', 'pending')
    changes.push(event(taskId, 'interrupted', 'pending', row.attempt_count, message, 'interrupted', at))
    if (row.interrupted_count < POISON_CRASHES) return true
    const cause = `suspected poison task: it was running at each of the last ${row.interrupted_count} crashes of the app; run it by hand or cancel it`
    if (deferPoison.get(cause, at, taskId)) {
      tally.move('pending', 'deferred_to_human')
      changes.push(event(taskId, 'deferred', 'deferred_to_human', row.attempt_count, cause, 'interrupted', at))
    }
    return true
  }

  return {
    /** Tasks waiting to retry after a failure of this type since `since`. */
    failedSince(errorType: TaskErrorType, since: number, limit: number): ClaimableRow[] {
      return selectFailedSince.all(errorType, since, limit) as ClaimableRow[]
    },

    /** Gives a failed attempt back: it turned out to be the backend's failure, not the task's. */
    giveBack(taskId: string, reason: string, retryAt: number, changes: Changes): boolean {
      const at = now()
      const row = giveBackOne.get(reason, retryAt, at, taskId) as
        { attempt_count: number; error_type: TaskErrorType | null } | undefined
      if (!row) return false
      tally.move('failed', 'pending')
      changes.push(event(taskId, 'waiting', 'pending', row.attempt_count, reason, row.error_type, at))
      return true
    },

    /**
     * Resets running tasks whose lease is gone. Held by another owner: that
     * process died (the instance lock guarantees it is not running), so the
     * run was interrupted, not failed: no attempt counts, and the task is
     * claimed after the others of its priority. A task in flight at
     * POISON_CRASHES consecutive crashes goes to manual review instead, as
     * the likely cause. Held by this owner but silent past `stuckBefore`: the
     * run overran and the attempt counts; a task out of attempts goes to
     * manual review.
     */
    reclaimLapsed(owner: string, stuckBefore: number, maxAttempts: number, changes: Changes): LeaseRef[] {
      const reclaimed: LeaseRef[] = []
      const holders = leaseHolders.all() as {
        id: string
        lease_owner: string | null
        lease_token: string
        heartbeat_at: number | null
        attempt_count: number
      }[]
      const interrupted = new Set<string>()
      for (const holder of holders) {
        const foreign = holder.lease_owner !== owner
        const stuck = holder.heartbeat_at === null || holder.heartbeat_at < stuckBefore
        if (!foreign && !stuck) continue
        const at = now()
        if (foreign) {
          interrupted.add(holder.id)
          if (interrupt(holder.id, holder.lease_token, holder.lease_owner, at, changes))
            reclaimed.push({ taskId: holder.id, token: holder.lease_token })
          continue
        }
        const message = `no heartbeat since ${holder.heartbeat_at === null ? 'the claim' : isoOf(holder.heartbeat_at)}`
        const exhausted = holder.attempt_count >= maxAttempts
        const status: TaskStatus = exhausted ? 'deferred_to_human' : 'pending'
        const row = resetLapsed.get(status, message, at, holder.id) as { attempt_count: number } | undefined
        if (!row) continue
        tally.move('in_progress', status)
        changes.push(
          event(holder.id, exhausted ? 'deferred' : 'requeued', status, row.attempt_count, message, 'timeout', at)
        )
        reclaimed.push({ taskId: holder.id, token: holder.lease_token })
      }
      // A crash with these tasks not in flight breaks their run of consecutive crashes.
      if (interrupted.size > 0)
        for (const id of selectInterrupted.all() as string[]) if (!interrupted.has(id)) clearInterrupted.run(id)
      const exhausted = exhaustedPending.all(maxAttempts) as { id: string; status: TaskStatus; attempt_count: number }[]
      for (const task of exhausted) {
        const at = now()
        if (!deferExhausted.get(at, task.id, task.status)) continue
        tally.move(task.status, 'deferred_to_human')
        changes.push(
          event(
            task.id,
            'deferred',
            'deferred_to_human',
            task.attempt_count,
            `attempts used up (${task.attempt_count} of ${maxAttempts})`,
            null,
            at
          )
        )
      }
      return reclaimed
    }
  }
}
