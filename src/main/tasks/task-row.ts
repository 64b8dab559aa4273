import type {
  Task,
  TaskErrorType,
  TaskEvent,
  TaskEventKind,
  TaskPriority,
  TaskStatus,
  TaskSummary
} from '../../shared/contract/tasks-contract'

/** A tasks row as SQLite returns it. */
export interface TaskRow {
  id: string
  title: string
  description: string
  domain: string | null
  priority: TaskPriority
  priority_rank: number
  assignee_expert: string | null
  parent_task_id: string | null
  preferred_backend: string | null
  preferred_model: string | null
  status: TaskStatus
  attempt_count: number
  interrupted_count: number
  next_retry_after: number | null
  last_error: string | null
  error_type: TaskErrorType | null
  lease_owner: string | null
  lease_token: string | null
  heartbeat_at: number | null
  backend: string | null
  model: string | null
  claimed_at: number | null
  latency_ms: number | null
  result: string | null
  metadata: string
  batch_group: string | null
  dedup_key: string
  created_at: number
  updated_at: number
  completed_at: number | null
}

/**
 * What a claim needs of its task's row: the attempt count it claims at, and the list row's columns a claim
 * leaves as they are, so the claimed task's list row is known without reading it back.
 */
export type ClaimSource = Pick<
  TaskRow,
  | 'id'
  | 'title'
  | 'domain'
  | 'priority'
  | 'assignee_expert'
  | 'status'
  | 'attempt_count'
  | 'last_error'
  | 'error_type'
  | 'created_at'
>

export const CLAIM_SOURCE_COLUMNS =
  'id, title, domain, priority, assignee_expert, status, attempt_count, last_error, error_type, created_at'

/** What running a task needs of its row; the claim query reads only these. */
export type ClaimableRow = ClaimSource &
  Pick<
    TaskRow,
    | 'description'
    | 'priority_rank'
    | 'preferred_backend'
    | 'preferred_model'
    | 'interrupted_count'
    | 'metadata'
    | 'updated_at'
  >

export const CLAIMABLE_COLUMNS =
  'id, title, description, domain, priority, priority_rank, assignee_expert, preferred_backend, preferred_model, attempt_count, interrupted_count, metadata, last_error, error_type, created_at, status, updated_at'

/**
 * A claimable row from the values of a raw read of CLAIMABLE_COLUMNS, in that order. The claim query runs
 * at every refill of the pool: an object literal of one shape costs a fraction of the object the driver
 * builds a property at a time.
 */
export function claimableRow(values: readonly unknown[]): ClaimableRow {
  return {
    id: values[0] as string,
    title: values[1] as string,
    description: values[2] as string,
    domain: values[3] as string | null,
    priority: values[4] as TaskPriority,
    priority_rank: values[5] as number,
    assignee_expert: values[6] as string | null,
    preferred_backend: values[7] as string | null,
    preferred_model: values[8] as string | null,
    attempt_count: values[9] as number,
    interrupted_count: values[10] as number,
    metadata: values[11] as string,
    last_error: values[12] as string | null,
    error_type: values[13] as TaskErrorType | null,
    created_at: values[14] as number,
    status: values[15] as TaskStatus,
    updated_at: values[16] as number
  }
}

/** The columns a list row (TaskSummary) is made of. */
export type SummaryRow = Pick<
  TaskRow,
  | 'id'
  | 'title'
  | 'domain'
  | 'priority'
  | 'assignee_expert'
  | 'status'
  | 'attempt_count'
  | 'last_error'
  | 'error_type'
  | 'backend'
  | 'model'
  | 'next_retry_after'
  | 'created_at'
  | 'updated_at'
>

export const SUMMARY_COLUMNS =
  'id, title, domain, priority, assignee_expert, status, attempt_count, last_error, error_type, backend, model, next_retry_after, created_at, updated_at'

export interface TaskEventRow {
  seq: number
  task_id: string
  kind: TaskEventKind
  status: TaskStatus
  attempt: number
  message: string | null
  error_type: TaskErrorType | null
  at: number
}

export const PRIORITY_RANK: Readonly<Record<TaskPriority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 }

export function toSummary(row: SummaryRow): TaskSummary {
  return {
    id: row.id,
    title: row.title,
    domain: row.domain,
    priority: row.priority,
    assigneeExpert: row.assignee_expert,
    status: row.status,
    attemptCount: row.attempt_count,
    lastError: row.last_error,
    errorType: row.error_type,
    backend: row.backend,
    model: row.model,
    nextRetryAfter: isoOrNull(row.next_retry_after),
    createdAt: createdIso(row.created_at),
    updatedAt: updatedIso(row.updated_at)
  }
}

export function toTask(row: TaskRow): Task {
  return {
    ...toSummary(row),
    description: row.description,
    parentTaskId: row.parent_task_id,
    preferredBackend: row.preferred_backend,
    preferredModel: row.preferred_model,
    leaseOwner: row.lease_owner,
    heartbeatAt: isoOrNull(row.heartbeat_at),
    result: row.result,
    metadata: parseMetadata(row.metadata),
    batchGroup: row.batch_group,
    completedAt: isoOrNull(row.completed_at),
    latencyMs: row.latency_ms
  }
}

export function toEvent(row: TaskEventRow): TaskEvent {
  return {
    seq: row.seq,
    taskId: row.task_id,
    kind: row.kind,
    status: row.status,
    attempt: row.attempt,
    message: row.message,
    errorType: row.error_type,
    at: iso(row.at)
  }
}

/**
 * Times are stored as integer milliseconds and given out as ISO 8601 UTC.
 * The rows of one group commit share their update time, so each field keeps
 * its last conversion: a Date and its string per row cost more than the
 * rest of the row.
 */
function isoMemo(): (ms: number) => string {
  let lastMs = Number.NaN
  let lastIso = ''
  return (ms) => {
    if (ms !== lastMs) {
      lastIso = new Date(ms).toISOString()
      lastMs = ms
    }
    return lastIso
  }
}
const iso = (ms: number): string => new Date(ms).toISOString()
const createdIso = isoMemo()
const updatedIso = isoMemo()
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms))

export function parseMetadata(text: string): Record<string, unknown> {
  // Most tasks carry none: no parse for them.
  if (text === '{}') return {}
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}
