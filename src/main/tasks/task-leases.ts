import { randomUUID } from 'node:crypto'
import type { Db } from '../db/database'
import type { TaskErrorType, TaskEvent, TaskStatus } from '../../shared/contract/tasks-contract'
import type { RememberRow } from './task-changes'
import type { StatusTally } from './status-tally'
import type { EventWriter } from './task-event-writer'
import { CLAIM_SOURCE_COLUMNS, SUMMARY_COLUMNS, type ClaimSource, type SummaryRow } from './task-row'

/** What changed, to be pushed over the contract once the transaction holding it has committed. */
export type Changes = TaskEvent[]

/** The proof a run holds a task: a result is accepted only while this lease is still the task's. */
export interface Lease {
  readonly taskId: string
  readonly token: string
  readonly attempt: number
  /**
   * The task's list row as the claim left it. While the lease holds, a completion changes only its status
   * and time: every other write to a leased task's list columns ends the lease (it changes the status).
   */
  readonly row: SummaryRow
  /**
   * Whether the claim's 'claimed' event is written. A pool's claim leaves it to `announce`, in the next group
   * commit if the run is still going; a run that completes before that says where it ran in its 'completed'
   * event instead, so a quick task writes one event row, not two.
   */
  announced: boolean
  /**
   * A claim not yet written at all: a quick run's, started before its row says so. Its completion writes the
   * claim and the answer in one statement; if it outlives the group, `announce` writes the claim, and any other
   * write of the run writes it first. Null once written.
   */
  held: HeldClaim | null
}

/**
 * What a held claim was made from: its write is refused unless the task's row is still as read, in its time (every
 * write of a task sets it) and in every list column the write leaves as it is, so the lease's row is the row written
 * even if the task was changed and put back within the millisecond.
 */
export interface HeldClaim {
  readonly source: ClaimSource
  /** The row's updated_at as read. */
  readonly updatedAt: number
  readonly owner: string
  readonly maxAttempts: number
}

// What a claim sets, written at the claim or, for a held one, once its run outlives the group that made it.
const CLAIM_SET = `status = 'in_progress', lease_owner = ?, lease_token = ?, heartbeat_at = ?, claimed_at = ?,
  attempt_count = attempt_count + 1, next_retry_after = NULL, backend = ?, model = ?, updated_at = ?`

// The row as a held claim read it (HeldClaim): its values in this order come from `heldGuard`.
const HELD_ROW_AS_READ = `id = ? AND status = ? AND attempt_count = ? AND attempt_count < ? AND updated_at = ?
  AND title = ? AND domain IS ? AND priority = ? AND assignee_expert IS ? AND last_error IS ? AND error_type IS ?`

function heldGuard(held: HeldClaim) {
  const { id, status, attempt_count: attemptCount, title, domain, priority } = held.source
  const { assignee_expert: expert, last_error: lastError, error_type: errorType } = held.source
  return [
    id,
    status,
    attemptCount,
    held.maxAttempts,
    held.updatedAt,
    title,
    domain,
    priority,
    expert,
    lastError,
    errorType
  ] as const
}

/** Which lease of a task: a run whose lease is gone is told by its token, since the task may already run again under a new one. */
export type LeaseRef = Pick<Lease, 'taskId' | 'token'>

/** A task to claim, as read in the claim's transaction: if its status or attempt count changed meanwhile, the claim is refused. */
export interface ClaimPick {
  readonly row: ClaimSource
  readonly backend: string | null
  readonly model: string | null
  /** Claimed ahead of a free slot (quick tasks): not yet running, so a crash meanwhile says nothing about the task. */
  readonly ahead?: boolean
  /** A quick run's claim, written with its completion (see Lease.held); the row's updated_at as read. */
  readonly hold?: { readonly updatedAt: number } | null
}

// Ends the lease token of a claim made ahead of a free slot: the one place that is written anyway, so telling a running task from a waiting one at a crash costs no write.
export const AHEAD_MARK = '+'

/**
 * A run's lease on its task, from claim to its end: every write is guarded by
 * the lease token, so a run whose lease lapsed (reclaimed, cancelled) changes
 * nothing, and each writes its event row in the caller's transaction.
 */
export function createTaskLeases(
  db: Db,
  event: EventWriter,
  now: () => number,
  /** Told each backend a claim puts a task on (the list's backend filter). */
  ranOn: (backend: string) => void,
  /** Keeps the row a write returned with its event, so the group's `tasks.changed` need not read it again. */
  remember: RememberRow,
  tally: StatusTally
) {
  const selectClaimSource = db.prepare(`SELECT ${CLAIM_SOURCE_COLUMNS} FROM tasks WHERE id = ?`)
  // Claims only at the attempt count the caller read, so the new attempt is known. Each write gives the task's list
  // row as it leaves it, so describing the group reads no task a second time: the hot writes (claim, complete) from what
  // their caller already holds, the others from the row they just wrote (RETURNING, which costs a claim a third of its time).
  const claimOne = db.prepare(
    `UPDATE tasks SET ${CLAIM_SET} WHERE id = ? AND status = ? AND attempt_count = ? AND attempt_count < ?`
  )
  // A held claim and its answer at once: the claim's columns as CLAIM_SET sets them, then the completion's.
  const claimAndCompleteOne =
    db.prepare(`UPDATE tasks SET status = 'completed', result = ?, lease_owner = NULL, lease_token = NULL, heartbeat_at = NULL,
      claimed_at = ?, attempt_count = attempt_count + 1, next_retry_after = NULL, backend = ?, model = ?,
      completed_at = ?, latency_ms = ?, updated_at = ?
    WHERE ${HELD_ROW_AS_READ}`)
  // A held claim written once its run outlived the group that made it, as claimOne writes a claim.
  const claimHeldOne = db.prepare(`UPDATE tasks SET ${CLAIM_SET} WHERE ${HELD_ROW_AS_READ}`)
  const heartbeatOne = db.prepare(
    "UPDATE tasks SET heartbeat_at = ? WHERE id = ? AND lease_token = ? AND status = 'in_progress'"
  )
  // While the token matches, attempt_count is the lease's attempt: only claims, releases and resets change it, and each replaces the token.
  const completeOne =
    db.prepare(`UPDATE tasks SET status = 'completed', result = ?, lease_owner = NULL, lease_token = NULL, heartbeat_at = NULL,
      completed_at = ?, latency_ms = ?, updated_at = ?
    WHERE id = ? AND lease_token = ? AND status = 'in_progress'`)
  const failOne = db.prepare(`UPDATE tasks SET status = ?, last_error = ?, error_type = ?, next_retry_after = ?,
      lease_owner = NULL, lease_token = NULL, heartbeat_at = NULL, updated_at = ?
    WHERE id = ? AND lease_token = ? AND status = 'in_progress' RETURNING ${SUMMARY_COLUMNS}`)
  const releaseOne =
    db.prepare(`UPDATE tasks SET status = 'pending', attempt_count = attempt_count - 1, lease_owner = NULL, lease_token = NULL,
      heartbeat_at = NULL, updated_at = ?
    WHERE id = ? AND lease_token = ? AND status = 'in_progress' RETURNING ${SUMMARY_COLUMNS}`)
  // The backend failed, not the task: back to pending without counting the attempt.
  const waitOne =
    db.prepare(`UPDATE tasks SET status = 'pending', last_error = ?, error_type = ?, attempt_count = attempt_count - 1,
      next_retry_after = ?, lease_owner = NULL, lease_token = NULL, heartbeat_at = NULL, updated_at = ?
    WHERE id = ? AND lease_token = ? AND status = 'in_progress' RETURNING ${SUMMARY_COLUMNS}`)

  /** What a claim's event says: the backend and model it runs on. */
  const ranOnWhat = (row: SummaryRow): string | null => (row.backend ? `on ${row.backend}/${row.model ?? '?'}` : null)

  function push(changes: Changes, change: TaskEvent, row: SummaryRow): void {
    changes.push(change)
    remember(change, row)
  }

  // Unique per claim within this process, and the prefix makes it unique across processes; shorter than a UUID in every row.
  const tokenPrefix = randomUUID().slice(0, 8)
  let tokens = 0

  function claimAt(at: number, pick: ClaimPick, owner: string, maxAttempts: number): Lease | null {
    const { row: source, backend, model } = pick
    const taskId = source.id
    const token = `${tokenPrefix}.${(++tokens).toString(36)}${pick.ahead ? AHEAD_MARK : ''}`
    const { status, attempt_count: attemptCount } = source
    if (status !== 'pending' && status !== 'failed') return null
    if (!pick.hold) {
      const claimed = claimOne.run(owner, token, at, at, backend, model, at, taskId, status, attemptCount, maxAttempts)
      if (claimed.changes === 0) return null
      tally.move(status, 'in_progress')
      if (backend !== null) ranOn(backend)
    } else if (attemptCount >= maxAttempts) return null
    const attempt = attemptCount + 1
    // The claim matched the status and attempt count it was read at, in this transaction, so the rest of the row is as read.
    const row: SummaryRow = {
      id: taskId,
      title: source.title,
      domain: source.domain,
      priority: source.priority,
      assignee_expert: source.assignee_expert,
      status: 'in_progress',
      attempt_count: attempt,
      last_error: source.last_error,
      error_type: source.error_type,
      backend,
      model,
      next_retry_after: null,
      created_at: source.created_at,
      updated_at: at
    }
    const held = pick.hold ? { source, updatedAt: pick.hold.updatedAt, owner, maxAttempts } : null
    return { taskId, token, attempt, row, announced: false, held }
  }

  /** Leases written in the running transaction, as they were before: if it rolls back, they are so again. */
  const writtenNow: [Lease, boolean, HeldClaim | null][] = []
  const keep = (lease: Lease): void => {
    writtenNow.push([lease, lease.announced, lease.held])
  }

  /** Writes a held claim as a claim made at its time; false if the task changed since (cancelled, say). */
  function writeHeld(lease: Lease): boolean {
    const held = lease.held
    if (!held) return true
    const { row } = lease
    const at = row.updated_at
    if (claimHeldOne.run(held.owner, lease.token, at, at, row.backend, row.model, at, ...heldGuard(held)).changes === 0)
      return false
    keep(lease)
    lease.held = null
    tally.move(held.source.status, 'in_progress')
    if (row.backend !== null) ranOn(row.backend)
    return true
  }

  // The claim's event, written later than the claim: stamped with the claim's time (the row's updated_at), and keeping
  // the claim's row with it, since the task is still as the claim left it.
  function announceNow(lease: Lease, changes: Changes): void {
    keep(lease)
    lease.announced = true
    const { row } = lease
    push(
      changes,
      event(lease.taskId, 'claimed', 'in_progress', lease.attempt, ranOnWhat(row), null, row.updated_at),
      row
    )
  }

  return {
    /** Takes a lease on a task if it is still claimable; null when another run got there first. */
    claim(
      taskId: string,
      owner: string,
      backend: string | null,
      model: string | null,
      maxAttempts: number,
      changes: Changes
    ): Lease | null {
      const row = selectClaimSource.get(taskId) as ClaimSource | undefined
      const lease = row === undefined ? null : claimAt(now(), { row, backend, model }, owner, maxAttempts)
      if (lease) announceNow(lease, changes)
      return lease
    },

    /**
     * claim() for a group under one timestamp, as a pool claims; tasks another run got first are left out. The
     * claims' events are not written: `announce` writes each once its run has outlived a group commit. A task
     * the group already describes (created or failed earlier in it) is described as the claim leaves it.
     */
    claimMany(picks: readonly ClaimPick[], owner: string, maxAttempts: number, changes: Changes): Lease[] {
      const at = now()
      const leases: Lease[] = []
      let lastEvents: Map<string, TaskEvent> | null = null
      for (const p of picks) {
        const lease = claimAt(at, p, owner, maxAttempts)
        if (!lease) continue
        leases.push(lease)
        // A held claim leaves the row as it was, and so as the group describes it.
        if (changes.length === 0 || lease.held) continue
        lastEvents ??= new Map(changes.map((change) => [change.taskId, change]))
        const last = lastEvents.get(lease.taskId)
        if (last) remember(last, lease.row)
      }
      return leases
    },

    /** Writes a claim and its event if not yet written and the lease still holds; false once the lease is gone. */
    announce(lease: Lease, changes: Changes): boolean {
      if (lease.announced) return true
      if (lease.held ? !writeHeld(lease) : heartbeatOne.run(now(), lease.taskId, lease.token).changes === 0)
        return false
      announceNow(lease, changes)
      return true
    },

    /** Runs a transaction; if it rolls back, the claims it wrote or announced are held or unannounced again, as they were. */
    announcing<T>(transaction: () => T): T {
      writtenNow.length = 0
      try {
        return transaction()
      } catch (error) {
        for (let i = writtenNow.length - 1; i >= 0; i--) {
          const [lease, announced, held] = writtenNow[i] as [Lease, boolean, HeldClaim | null]
          lease.announced = announced
          lease.held = held
        }
        throw error
      } finally {
        writtenNow.length = 0
      }
    },

    /** Proves the runs alive; returns the leases that are no longer their tasks'. */
    heartbeat(leases: readonly Lease[]): LeaseRef[] {
      const at = now()
      // A held claim has no row to prove: the group that outlives its run writes it first.
      return leases.filter((lease) => !lease.held && heartbeatOne.run(at, lease.taskId, lease.token).changes === 0)
    },

    progress(lease: Lease, message: string, changes: Changes): boolean {
      const at = now()
      if (!writeHeld(lease) || heartbeatOne.run(at, lease.taskId, lease.token).changes === 0) return false
      if (!lease.announced) announceNow(lease, changes)
      changes.push(event(lease.taskId, 'progress', 'in_progress', lease.attempt, message, null, at))
      return true
    },

    /** Records the answer if the lease still holds; a late result from a lapsed run returns false and changes nothing. */
    complete(lease: Lease, result: string, latencyMs: number, changes: Changes): boolean {
      const at = now()
      const { held, row: claimed } = lease
      if (held) {
        const args = [claimed.updated_at, claimed.backend, claimed.model, at, Math.round(latencyMs), at] as const
        if (claimAndCompleteOne.run(result, ...args, ...heldGuard(held)).changes === 0) return false
        keep(lease)
        lease.held = null
        tally.move(held.source.status, 'completed')
        if (claimed.backend !== null) ranOn(claimed.backend)
      } else if (completeOne.run(result, at, Math.round(latencyMs), at, lease.taskId, lease.token).changes === 0)
        return false
      else tally.move('in_progress', 'completed')
      const row: SummaryRow = { ...claimed, status: 'completed', updated_at: at }
      // A run that ended before its claim was announced: its one event says where it ran.
      const where = lease.announced ? null : ranOnWhat(lease.row)
      push(changes, event(lease.taskId, 'completed', 'completed', lease.attempt, where, null, at), row)
      return true
    },

    /** A failed attempt: retried after `retryAt`, or sent to manual review once attempts are spent. */
    fail(
      lease: Lease,
      message: string,
      errorType: TaskErrorType,
      maxAttempts: number,
      retryAt: number,
      changes: Changes
    ): TaskStatus | null {
      const at = now()
      const exhausted = lease.attempt >= maxAttempts
      const status: TaskStatus = exhausted ? 'deferred_to_human' : 'failed'
      if (!writeHeld(lease)) return null
      const row = failOne.get(status, message, errorType, exhausted ? null : retryAt, at, lease.taskId, lease.token) as
        SummaryRow | undefined
      if (!row) return null
      tally.move('in_progress', status)
      if (!lease.announced) announceNow(lease, changes)
      push(changes, event(lease.taskId, 'failed', 'failed', row.attempt_count, message, errorType, at), row)
      if (exhausted) {
        const why = `after ${row.attempt_count} attempts: ${message}`
        push(changes, event(lease.taskId, 'deferred', status, row.attempt_count, why, errorType, at), row)
      }
      return status
    },

    /** Gives a run's task back without counting its attempt (graceful shutdown). */
    release(lease: Lease, reason: string, changes: Changes): boolean {
      // A held claim was never written: the task is pending as it was.
      if (lease.held) return true
      const at = now()
      const row = releaseOne.get(at, lease.taskId, lease.token) as SummaryRow | undefined
      if (!row) return false
      tally.move('in_progress', 'pending')
      if (!lease.announced) announceNow(lease, changes)
      push(changes, event(lease.taskId, 'requeued', 'pending', row.attempt_count, reason, null, at), row)
      return true
    },

    /** Puts a task back without counting its attempt: its backend failed every request, not the task. Shown as why it waits. */
    wait(lease: Lease, reason: string, errorType: TaskErrorType, retryAt: number | null, changes: Changes): boolean {
      const at = now()
      if (!writeHeld(lease)) return false
      const row = waitOne.get(reason, errorType, retryAt, at, lease.taskId, lease.token) as SummaryRow | undefined
      if (!row) return false
      tally.move('in_progress', 'pending')
      if (!lease.announced) announceNow(lease, changes)
      push(changes, event(lease.taskId, 'waiting', 'pending', row.attempt_count, reason, errorType, at), row)
      return true
    }
  }
}
