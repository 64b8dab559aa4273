import { randomUUID } from 'node:crypto'
import type { Db } from '../db/database'
import type {
  Task,
  TaskErrorType,
  TaskEvent,
  TaskEventKind,
  TaskPriority,
  TaskStatus
} from '../../shared/contract/tasks-contract'
import { createChangeReader, createStatusCounts } from './task-changes'
import { createTaskCounters } from './task-counters'
import { createTaskIds } from './task-id'
import { createTaskList } from './task-list'
import {
  CLAIMABLE_COLUMNS,
  PRIORITY_RANK,
  toEvent,
  toTask,
  type ClaimableRow,
  type TaskEventRow,
  type TaskRow
} from './task-row'

/** A task as the store inserts it: the create input with its defaults applied and its dedup key. */
export interface TaskInsert {
  readonly title: string
  readonly description: string
  readonly domain: string | null
  readonly priority: TaskPriority
  readonly assigneeExpert: string | null
  readonly parentTaskId: string | null
  readonly preferredBackend: string | null
  readonly preferredModel: string | null
  readonly metadata: Record<string, unknown>
  readonly batchGroup: string | null
  readonly dedupKey: string
}

export type CreateOutcome =
  | { readonly ok: true; readonly task: Task; readonly events: TaskEvent[] }
  | {
      readonly ok: false
      readonly reason: 'duplicate'
      readonly existingId: string
      readonly existingStatus: TaskStatus
    }
  | { readonly ok: false; readonly reason: 'unknown_parent'; readonly parentTaskId: string }

/** The proof a run holds a task: a result is accepted only while this lease is still the task's. */
export interface Lease {
  readonly taskId: string
  readonly token: string
  readonly attempt: number
}

/** Which lease of a task: a run whose lease is gone is told by its token, since the task may already run again under a new one. */
export type LeaseRef = Pick<Lease, 'taskId' | 'token'>

/** A task to claim, with the attempt count it was read at: if that changed meanwhile, the claim is refused. */
export interface ClaimPick {
  readonly taskId: string
  readonly backend: string | null
  readonly model: string | null
  readonly attemptCount: number
  /** Claimed ahead of a free slot (quick tasks): not yet running, so a crash meanwhile says nothing about the task. */
  readonly ahead?: boolean
}

/** What changed, to be pushed over the contract once the transaction holding it has committed. */
export type Changes = TaskEvent[]

const DAY_MS = 86_400_000
/** In flight at this many consecutive crashes of the app, a task is taken for their cause and goes to manual review. */
export const POISON_CRASHES = 3
// Ends the lease token of a claim made ahead of a free slot: the one place that is written anyway, so telling a running task from a waiting one at a crash costs no write.
const AHEAD_MARK = '+'

/**
 * Every read and state change of the task queue, on the one connection of
 * the process. Each mutation writes its task_events rows in the same
 * transaction as the row it changes and returns them, so the caller pushes
 * them only after commit. Mutations are synchronous and compose: the pool
 * runs many inside one transaction to commit a group at once.
 */
export function createTaskStore(db: Db, now: () => number = Date.now) {
  // Times are stored as integer milliseconds (migration 0009) and given out as ISO 8601; a group commit stamps all its rows with one time, so the last conversion is kept.
  let lastStamp = Number.NaN
  let lastIso = ''
  const isoOf = (ms: number): string => {
    if (ms !== lastStamp) {
      lastStamp = ms
      lastIso = new Date(ms).toISOString()
    }
    return lastIso
  }

  const insertTask =
    db.prepare(`INSERT INTO tasks (id, title, description, domain, priority, priority_rank, assignee_expert, parent_task_id,
      preferred_backend, preferred_model, status, metadata, batch_group, dedup_key, created_at, updated_at)
    VALUES (@id, @title, @description, @domain, @priority, @priority_rank, @assignee_expert, @parent_task_id,
      @preferred_backend, @preferred_model, 'pending', @metadata, @batch_group, @dedup_key, @at, @at)`)
  const insertEvent = db.prepare(
    'INSERT INTO task_events (task_id, kind, status, attempt, message, error_type, at) VALUES (?, ?, ?, ?, ?, ?, ?)'
  )
  const selectTask = db.prepare('SELECT * FROM tasks WHERE id = ?')
  const selectDuplicate = db.prepare(
    "SELECT id, status FROM tasks WHERE dedup_key = ? AND created_at >= ? AND status != 'cancelled' ORDER BY created_at DESC LIMIT 1"
  )
  const selectEvents = db.prepare('SELECT * FROM task_events WHERE task_id = ? ORDER BY seq')
  // The planner, without statistics, would sort every pending row per claim; the claimable index yields them in order.
  const selectCandidates = db.prepare(`SELECT ${CLAIMABLE_COLUMNS} FROM tasks INDEXED BY tasks_claimable
    WHERE status IN ('pending', 'failed') AND (next_retry_after IS NULL OR next_retry_after <= ?) AND attempt_count < ?
    ORDER BY priority_rank DESC, interrupted_count, created_at, id LIMIT ?`)
  // Claims only at the attempt count the caller read, so the new attempt is known without RETURNING (which buffers every row it returns).
  const claimOne =
    db.prepare(`UPDATE tasks SET status = 'in_progress', lease_owner = ?, lease_token = ?, heartbeat_at = ?, claimed_at = ?,
      attempt_count = attempt_count + 1, next_retry_after = NULL, backend = ?, model = ?, updated_at = ?
    WHERE id = ? AND status IN ('pending', 'failed') AND attempt_count = ? AND attempt_count < ?`)
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
    WHERE id = ? AND lease_token = ? AND status = 'in_progress' RETURNING attempt_count`)
  const releaseOne =
    db.prepare(`UPDATE tasks SET status = 'pending', attempt_count = attempt_count - 1, lease_owner = NULL, lease_token = NULL,
      heartbeat_at = NULL, updated_at = ?
    WHERE id = ? AND lease_token = ? AND status = 'in_progress' RETURNING attempt_count`)
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
  // The backend failed, not the task: back to pending without counting the attempt.
  const waitOne =
    db.prepare(`UPDATE tasks SET status = 'pending', last_error = ?, error_type = ?, attempt_count = attempt_count - 1,
      next_retry_after = ?, lease_owner = NULL, lease_token = NULL, heartbeat_at = NULL, updated_at = ?
    WHERE id = ? AND lease_token = ? AND status = 'in_progress' RETURNING attempt_count`)
  const cancelOne =
    db.prepare(`UPDATE tasks SET status = 'cancelled', lease_owner = NULL, lease_token = NULL, heartbeat_at = NULL, updated_at = ?
    WHERE id = ? AND status IN ('pending', 'failed', 'in_progress', 'deferred_to_human') RETURNING attempt_count`)
  const requeueOne =
    db.prepare(`UPDATE tasks SET status = 'pending', attempt_count = 0, interrupted_count = 0, next_retry_after = NULL, updated_at = ?
    WHERE id = ? AND status IN ('deferred_to_human', 'failed') RETURNING attempt_count`)
  const deferredIds = db.prepare(
    "SELECT id FROM tasks INDEXED BY tasks_deferred WHERE status = 'deferred_to_human' ORDER BY updated_at"
  )
  const exhaustedPending = db.prepare(
    "SELECT id, attempt_count FROM tasks INDEXED BY tasks_claimable WHERE status IN ('pending', 'failed') AND attempt_count >= ?"
  )
  const deferPoison =
    db.prepare(`UPDATE tasks SET status = 'deferred_to_human', last_error = ?, next_retry_after = NULL, updated_at = ?
    WHERE id = ? AND status = 'pending' RETURNING attempt_count`)
  const deferExhausted =
    db.prepare(`UPDATE tasks SET status = 'deferred_to_human', next_retry_after = NULL, updated_at = ?
    WHERE id = ? AND status IN ('pending', 'failed') RETURNING attempt_count`)

  function event(
    taskId: string,
    kind: TaskEventKind,
    status: TaskStatus,
    attempt: number,
    message: string | null,
    errorType: TaskErrorType | null,
    at: number
  ): TaskEvent {
    const seq = Number(insertEvent.run(taskId, kind, status, attempt, message, errorType, at).lastInsertRowid)
    return { seq, taskId, kind, status, attempt, message, errorType, at: isoOf(at) }
  }

  // The backends tasks ran on, for the list's filter: read once, then added to by each claim, the only
  // write that sets a task's backend. An index on it would be written by every claim.
  let backends: Set<string> | null = null
  const knownBackends = (): Set<string> =>
    (backends ??= new Set(
      db.prepare('SELECT DISTINCT backend FROM tasks WHERE backend IS NOT NULL').pluck().all() as string[]
    ))
  const statusCounts = createStatusCounts(db)
  const nextId = createTaskIds(now)
  // Unique per claim within this process, and the prefix makes it unique across processes; shorter than a UUID in every row.
  const tokenPrefix = randomUUID().slice(0, 8)
  let tokens = 0

  function claimAt(at: number, pick: ClaimPick, owner: string, maxAttempts: number, changes: Changes): Lease | null {
    const { taskId, backend, model } = pick
    const token = `${tokenPrefix}.${(++tokens).toString(36)}${pick.ahead ? AHEAD_MARK : ''}`
    if (claimOne.run(owner, token, at, at, backend, model, at, taskId, pick.attemptCount, maxAttempts).changes === 0)
      return null
    const attempt = pick.attemptCount + 1
    if (backend !== null) backends?.add(backend)
    changes.push(
      event(taskId, 'claimed', 'in_progress', attempt, backend ? `on ${backend}/${model ?? '?'}` : null, null, at)
    )
    return { taskId, token, attempt }
  }

  function interrupt(taskId: string, token: string, deadOwner: string | null, at: number, changes: Changes): boolean {
    const ran = !token.endsWith(AHEAD_MARK)
    const message = `interrupted: the app stopped while this task ${ran ? 'ran' : 'was claimed'} (${deadOwner ?? 'an unknown run'} is gone); no attempt counted`
    const row = interruptOne.get('pending', message, ran ? 1 : 0, at, taskId) as
      { attempt_count: number; interrupted_count: number } | undefined
    if (!row) return false
    changes.push(event(taskId, 'interrupted', 'pending', row.attempt_count, message, 'interrupted', at))
    if (row.interrupted_count < POISON_CRASHES) return true
    const cause = `suspected poison task: it was running at each of the last ${row.interrupted_count} crashes of the app; run it by hand or cancel it`
    if (deferPoison.get(cause, at, taskId))
      changes.push(event(taskId, 'deferred', 'deferred_to_human', row.attempt_count, cause, 'interrupted', at))
    return true
  }

  function completeAt(at: number, lease: Lease, result: string, latencyMs: number, changes: Changes): boolean {
    if (completeOne.run(result, at, Math.round(latencyMs), at, lease.taskId, lease.token).changes === 0) return false
    changes.push(event(lease.taskId, 'completed', 'completed', lease.attempt, null, null, at))
    return true
  }

  const store = {
    /** Runs `fn` in one immediate transaction; nested calls join the outer one. */
    transaction<T>(fn: () => T): T {
      return db.inTransaction ? fn() : db.transaction(fn).immediate()
    },

    create(input: TaskInsert, dedupWindowDays = 30): CreateOutcome {
      return store.transaction((): CreateOutcome => {
        const at = now()
        const since = at - dedupWindowDays * DAY_MS
        const duplicate = selectDuplicate.get(input.dedupKey, since) as { id: string; status: TaskStatus } | undefined
        if (duplicate)
          return { ok: false, reason: 'duplicate', existingId: duplicate.id, existingStatus: duplicate.status }
        if (input.parentTaskId !== null && !selectTask.get(input.parentTaskId))
          return { ok: false, reason: 'unknown_parent', parentTaskId: input.parentTaskId }
        const id = nextId()
        insertTask.run({
          id,
          title: input.title,
          description: input.description,
          domain: input.domain,
          priority: input.priority,
          priority_rank: PRIORITY_RANK[input.priority],
          assignee_expert: input.assigneeExpert,
          parent_task_id: input.parentTaskId,
          preferred_backend: input.preferredBackend,
          preferred_model: input.preferredModel,
          metadata: JSON.stringify(input.metadata),
          batch_group: input.batchGroup,
          dedup_key: input.dedupKey,
          at
        })
        const created = event(id, 'created', 'pending', 0, null, null, at)
        return { ok: true, task: toTask(selectTask.get(id) as TaskRow), events: [created] }
      })
    },

    get(id: string): Task | null {
      const row = selectTask.get(id) as TaskRow | undefined
      return row ? toTask(row) : null
    },

    row(id: string): TaskRow | null {
      return (selectTask.get(id) as TaskRow | undefined) ?? null
    },

    events(taskId: string): TaskEvent[] {
      return (selectEvents.all(taskId) as TaskEventRow[]).map(toEvent)
    },

    /** Claimable tasks in priority order; the scheduler picks among them. */
    candidates(limit: number, maxAttempts: number): ClaimableRow[] {
      return selectCandidates.all(now(), maxAttempts, limit) as ClaimableRow[]
    },

    /** Takes a lease on a task if it is still claimable; null when another run got there first. */
    claim(
      taskId: string,
      owner: string,
      backend: string | null,
      model: string | null,
      maxAttempts: number,
      changes: Changes
    ): Lease | null {
      const row = selectTask.get(taskId) as TaskRow | undefined
      return row
        ? claimAt(now(), { taskId, backend, model, attemptCount: row.attempt_count }, owner, maxAttempts, changes)
        : null
    },

    /** claim() for a group under one timestamp; tasks another run got first are left out. */
    claimMany(picks: readonly ClaimPick[], owner: string, maxAttempts: number, changes: Changes): Lease[] {
      const at = now()
      const leases: Lease[] = []
      for (const p of picks) {
        const lease = claimAt(at, p, owner, maxAttempts, changes)
        if (lease) leases.push(lease)
      }
      return leases
    },

    /** Proves the runs alive; returns the leases that are no longer their tasks'. */
    heartbeat(leases: readonly Lease[]): LeaseRef[] {
      const at = now()
      return leases.filter((lease) => heartbeatOne.run(at, lease.taskId, lease.token).changes === 0)
    },

    progress(lease: Lease, message: string, changes: Changes): boolean {
      const at = now()
      if (heartbeatOne.run(at, lease.taskId, lease.token).changes === 0) return false
      changes.push(event(lease.taskId, 'progress', 'in_progress', lease.attempt, message, null, at))
      return true
    },

    /** Records the answer if the lease still holds; a late result from a lapsed run returns false and changes nothing. */
    complete(lease: Lease, result: string, latencyMs: number, changes: Changes): boolean {
      return completeAt(now(), lease, result, latencyMs, changes)
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
      const row = failOne.get(status, message, errorType, exhausted ? null : retryAt, at, lease.taskId, lease.token) as
        { attempt_count: number } | undefined
      if (!row) return null
      changes.push(event(lease.taskId, 'failed', 'failed', row.attempt_count, message, errorType, at))
      if (exhausted)
        changes.push(
          event(
            lease.taskId,
            'deferred',
            status,
            row.attempt_count,
            `after ${row.attempt_count} attempts: ${message}`,
            errorType,
            at
          )
        )
      return status
    },

    /** Gives a run's task back without counting its attempt (graceful shutdown). */
    release(lease: Lease, reason: string, changes: Changes): boolean {
      const at = now()
      const row = releaseOne.get(at, lease.taskId, lease.token) as { attempt_count: number } | undefined
      if (!row) return false
      changes.push(event(lease.taskId, 'requeued', 'pending', row.attempt_count, reason, null, at))
      return true
    },

    /** Puts a task back without counting its attempt: its backend failed every request, not the task. Shown as why it waits. */
    wait(lease: Lease, reason: string, errorType: TaskErrorType, retryAt: number | null, changes: Changes): boolean {
      const at = now()
      const row = waitOne.get(reason, errorType, retryAt, at, lease.taskId, lease.token) as
        { attempt_count: number } | undefined
      if (!row) return false
      changes.push(event(lease.taskId, 'waiting', 'pending', row.attempt_count, reason, errorType, at))
      return true
    },

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
        changes.push(
          event(holder.id, exhausted ? 'deferred' : 'requeued', status, row.attempt_count, message, 'timeout', at)
        )
        reclaimed.push({ taskId: holder.id, token: holder.lease_token })
      }
      // A crash with these tasks not in flight breaks their run of consecutive crashes.
      if (interrupted.size > 0)
        for (const id of selectInterrupted.all() as string[]) if (!interrupted.has(id)) clearInterrupted.run(id)
      for (const task of exhaustedPending.all(maxAttempts) as { id: string; attempt_count: number }[]) {
        const at = now()
        if (deferExhausted.get(at, task.id))
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
    },

    cancel(id: string, changes: Changes): Task | null {
      const at = now()
      const row = cancelOne.get(at, id) as { attempt_count: number } | undefined
      if (!row) return null
      changes.push(event(id, 'cancelled', 'cancelled', row.attempt_count, null, null, at))
      return store.get(id)
    },

    /** Back to autoprocessing with fresh attempts; the failed and deferred events stay in the history. */
    requeue(ids: readonly string[] | 'all_deferred', changes: Changes): string[] {
      const targets = ids === 'all_deferred' ? (deferredIds.all() as { id: string }[]).map((r) => r.id) : ids
      const requeued: string[] = []
      for (const id of targets) {
        const at = now()
        if (!requeueOne.get(at, id)) continue
        changes.push(event(id, 'requeued', 'pending', 0, 'returned to autoprocessing', null, at))
        requeued.push(id)
      }
      return requeued
    },

    /** One page of the Tasks view's list (task-list.ts). */
    list: createTaskList(db, statusCounts, knownBackends),

    /** Tasks by status, as the triggers of migration 0013 keep them. */
    statusCounts,

    /** What a committed write changed, as `tasks.changed` pushes it; call inside the write's transaction. */
    describeChanges: createChangeReader(db, statusCounts),

    /** Tasks by status, manual-review totals, completions per minute and latency per backend and model. */
    counters: createTaskCounters(db, now)
  }
  return store
}

export type TaskStore = ReturnType<typeof createTaskStore>
