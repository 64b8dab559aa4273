import type { Db } from '../db/database'
import { FOR_MODEL_SQL } from '../ports/person-tasks'
import type { Task, TaskEvent, TaskPriority, TaskStatus, TaskStatusCounts } from '../../shared/contract/tasks-contract'
import { createStatusTally, recountStatuses } from './status-tally'
import { createEventWriter } from './task-event-writer'
import { createChangeReader, createStatusCounts } from './task-changes'
import { createTaskCounters } from './task-counters'
import { createTaskIds } from './task-id'
import { createTaskLeases, type Changes } from './task-leases'
import { createTaskList } from './task-list'
import { createTaskRecovery } from './task-recovery'
import {
  CLAIMABLE_COLUMNS,
  claimableRow,
  PRIORITY_RANK,
  toEvent,
  toTask,
  type ClaimableRow,
  type TaskEventRow,
  type TaskRow
} from './task-row'

export type { Changes, ClaimPick, Lease, LeaseRef } from './task-leases'
export { POISON_CRASHES } from './task-recovery'

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

/** What a task returned from review runs with next (review.return), and what its trail says about it. */
export interface Reassignment {
  /** null: keep the task's model preference. */
  readonly model: { readonly name: string; readonly backend: string | null } | null
  /** An expert id; null: keep the assignee. */
  readonly expert: string | null
  /** The requeued event's message, e.g. "returned to autoprocessing with qwen2.5:7b on Studio and expert Coder". */
  readonly note: string
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

const DAY_MS = 86_400_000
const CANCELLABLE: ReadonlySet<TaskStatus> = new Set(['pending', 'failed', 'in_progress', 'deferred_to_human'])

/**
 * Every read and state change of the task queue, on the one connection of
 * the process. Each mutation writes its task_events rows in the same
 * transaction as the row it changes and returns them, so the caller pushes
 * them only after commit. Mutations are synchronous and compose: the pool
 * runs many inside one transaction to commit a group at once. A run's lease
 * is task-leases.ts; recovering from crashes and lapsed runs, task-recovery.ts.
 */
export function createTaskStore(db: Db, now: () => number = Date.now) {
  const { write: event, isoOf } = createEventWriter(db)
  const insertTask =
    db.prepare(`INSERT INTO tasks (id, title, description, domain, priority, priority_rank, assignee_expert, parent_task_id,
      preferred_backend, preferred_model, status, metadata, batch_group, dedup_key, created_at, updated_at)
    VALUES (@id, @title, @description, @domain, @priority, @priority_rank, @assignee_expert, @parent_task_id,
      @preferred_backend, @preferred_model, @status, @metadata, @batch_group, @dedup_key, @created_at, @updated_at)`)
  const selectTask = db.prepare('SELECT * FROM tasks WHERE id = ?')
  const taskExists = db.prepare('SELECT 1 FROM tasks WHERE id = ?').pluck()
  const selectDuplicate = db.prepare(
    "SELECT id, status FROM tasks WHERE dedup_key = ? AND created_at >= ? AND status != 'cancelled' ORDER BY created_at DESC LIMIT 1"
  )
  const selectEvents = db.prepare('SELECT * FROM task_events WHERE task_id = ? ORDER BY seq')
  // The planner, without statistics, would sort every pending row per claim; the claimable index yields them in order.
  const selectCandidates = db
    .prepare(
      `SELECT ${CLAIMABLE_COLUMNS} FROM tasks INDEXED BY tasks_claimable
    WHERE status IN ('pending', 'failed') AND (next_retry_after IS NULL OR next_retry_after <= ?) AND attempt_count < ?
      AND ${FOR_MODEL_SQL}
    ORDER BY priority_rank DESC, interrupted_count, created_at, id LIMIT ?`
    )
    .raw()
  const cancelOne =
    db.prepare(`UPDATE tasks SET status = 'cancelled', lease_owner = NULL, lease_token = NULL, heartbeat_at = NULL, updated_at = ?
    WHERE id = ? AND status = ? RETURNING attempt_count`)
  const requeueOne =
    db.prepare(`UPDATE tasks SET status = 'pending', attempt_count = 0, interrupted_count = 0, next_retry_after = NULL, updated_at = ?
    WHERE id = ? AND status = ? RETURNING attempt_count`)
  // Read before a status change whose statement allows more than one status to leave, so the counts know which it left.
  const selectStatus = db.prepare('SELECT status FROM tasks WHERE id = ?').pluck()
  // Run only after requeueOne returned the row, in the same transaction: a task not in review keeps its preferences.
  const reassignOne = db.prepare<{ id: string; model: string | null; backend: string | null; expert: string | null }>(
    `UPDATE tasks SET
       preferred_model = CASE WHEN @model IS NULL THEN preferred_model ELSE @model END,
       preferred_backend = CASE WHEN @model IS NULL THEN preferred_backend ELSE @backend END,
       assignee_expert = COALESCE(@expert, assignee_expert)
     WHERE id = @id`
  )
  const deferredIds = db.prepare(
    "SELECT id FROM tasks INDEXED BY tasks_deferred WHERE status = 'deferred_to_human' ORDER BY updated_at"
  )

  // The backends tasks ran on, for the list's filter: read once, then added to by each claim, the only
  // write that sets a task's backend. An index on it would be written by every claim.
  let backends: Set<string> | null = null
  const knownBackends = (): Set<string> =>
    (backends ??= new Set(
      db.prepare('SELECT DISTINCT backend FROM tasks WHERE backend IS NOT NULL').pluck().all() as string[]
    ))
  recountStatuses(db)
  const tally = createStatusTally(db)
  // Made once: the driver builds four wrapped functions for every transaction function, and the queue commits often.
  const inImmediate = db.transaction((fn: () => unknown) => tally.deferred(fn)).immediate
  const readCounts = createStatusCounts(db)
  const statusCounts = (): TaskStatusCounts => {
    tally.flush()
    return readCounts()
  }
  const changeReader = createChangeReader(db, statusCounts)
  const nextId = createTaskIds(now)
  const { announcing, ...leases } = createTaskLeases(
    db,
    event,
    now,
    (backend) => backends?.add(backend),
    changeReader.remember,
    tally
  )
  const recovery = createTaskRecovery(db, event, isoOf, now, tally)

  /** A new task in the caller's transaction: refused as a duplicate of one from the window, or for a parent that does not exist. */
  function insert(input: TaskInsert, dedupWindowDays: number, changes: Changes): CreateOutcome {
    const at = now()
    const duplicate = selectDuplicate.get(input.dedupKey, at - dedupWindowDays * DAY_MS) as
      { id: string; status: TaskStatus } | undefined
    if (duplicate) return { ok: false, reason: 'duplicate', existingId: duplicate.id, existingStatus: duplicate.status }
    if (input.parentTaskId !== null && taskExists.get(input.parentTaskId) === undefined)
      return { ok: false, reason: 'unknown_parent', parentTaskId: input.parentTaskId }
    // The row as inserted, every column: the task is given back and described from it, not read again.
    const row: TaskRow = {
      id: nextId(),
      title: input.title,
      description: input.description,
      domain: input.domain,
      priority: input.priority,
      priority_rank: PRIORITY_RANK[input.priority],
      assignee_expert: input.assigneeExpert,
      parent_task_id: input.parentTaskId,
      preferred_backend: input.preferredBackend,
      preferred_model: input.preferredModel,
      status: 'pending',
      attempt_count: 0,
      interrupted_count: 0,
      next_retry_after: null,
      last_error: null,
      error_type: null,
      lease_owner: null,
      lease_token: null,
      heartbeat_at: null,
      backend: null,
      model: null,
      claimed_at: null,
      latency_ms: null,
      result: null,
      metadata: JSON.stringify(input.metadata),
      batch_group: input.batchGroup,
      dedup_key: input.dedupKey,
      created_at: at,
      updated_at: at,
      completed_at: null
    }
    insertTask.run(row)
    const created = event(row.id, 'created', 'pending', 0, null, null, at)
    changes.push(created)
    changeReader.remember(created, row)
    return { ok: true, task: toTask(row), events: [created] }
  }

  const store = {
    /** Runs `fn` in one immediate transaction; nested calls join the outer one. */
    transaction<T>(fn: () => T): T {
      return db.inTransaction ? fn() : announcing(() => inImmediate(fn) as T)
    },

    /** A new task in a transaction of its own, committed (and flushed) before it returns. */
    create(input: TaskInsert, dedupWindowDays = 30): CreateOutcome {
      return store.transaction(() => insert(input, dedupWindowDays, []))
    },

    /** A new task as one write of a group commit (the engine's create): many commit, and flush, together. */
    insert,

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
      return (selectCandidates.all(now(), maxAttempts, limit) as unknown[][]).map(claimableRow)
    },

    ...leases,
    ...recovery,

    cancel(id: string, changes: Changes): Task | null {
      const at = now()
      const status = selectStatus.get(id) as TaskStatus | undefined
      if (status === undefined || !CANCELLABLE.has(status)) return null
      const row = cancelOne.get(at, id, status) as { attempt_count: number } | undefined
      if (!row) return null
      tally.move(status, 'cancelled')
      changes.push(event(id, 'cancelled', 'cancelled', row.attempt_count, null, null, at))
      return store.get(id)
    },

    /** Back to autoprocessing with fresh attempts, with another model or expert when given; the failed and deferred events stay in the history. */
    requeue(ids: readonly string[] | 'all_deferred', changes: Changes, reassign?: Reassignment): string[] {
      const targets = ids === 'all_deferred' ? (deferredIds.all() as { id: string }[]).map((r) => r.id) : ids
      const requeued: string[] = []
      for (const id of targets) {
        const at = now()
        const status = selectStatus.get(id) as TaskStatus | undefined
        if (status !== 'deferred_to_human' && status !== 'failed') continue
        if (!requeueOne.get(at, id, status)) continue
        tally.move(status, 'pending')
        if (reassign)
          reassignOne.run({
            id,
            model: reassign.model?.name ?? null,
            backend: reassign.model?.backend ?? null,
            expert: reassign.expert
          })
        changes.push(event(id, 'requeued', 'pending', 0, reassign?.note ?? 'returned to autoprocessing', null, at))
        requeued.push(id)
      }
      return requeued
    },

    /** One page of the Tasks view's list (task-list.ts). */
    list: createTaskList(db, statusCounts, knownBackends),

    /** Tasks by status, as migration 0013's table holds them (kept by its triggers and status-tally.ts). */
    statusCounts,

    /** What a committed write changed, as `tasks.changed` pushes it; call inside the write's transaction. */
    describeChanges: changeReader.describe,

    /** Tasks by status, manual-review totals, completions per minute and latency per backend and model. */
    counters: createTaskCounters(db, now, statusCounts)
  }
  return store
}

export type TaskStore = ReturnType<typeof createTaskStore>
