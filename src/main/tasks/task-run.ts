import {
  isBackendFailure,
  ProcessingError,
  type ProcessingContext,
  type ProcessingPlan,
  type TaskForProcessing
} from '../ports/task-processor'
import type { TaskErrorType } from '../../shared/contract/tasks-contract'
import type { Lease } from './task-store'
import { parseMetadata, type ClaimableRow } from './task-row'
import { storageFailureOf } from '../platform/storage-failure'

// A task the disk failed is looked at again this soon; while the disk stays nearly full the pool claims nothing anyway (disk.pauseBelowMb).
const DISK_RETRY_MS = 1_000

export type StopReason = 'timeout' | 'cancelled' | 'shutdown' | 'lease_lost'

export type Outcome =
  | { readonly ok: true; readonly answer: string }
  | { readonly ok: false; readonly type: TaskErrorType; readonly message: string }
  /** The backend failed, not the task: it waits without an attempt counted, not before `retryAfterMs`. */
  | { readonly ok: false; readonly type: TaskErrorType; readonly message: string; readonly retryAfterMs: number }
  /** The disk refused a write the attempt made: it waits without an attempt counted, however often, until there is room. */
  | {
      readonly ok: false
      readonly type: TaskErrorType
      readonly message: string
      readonly retryAfterMs: number
      readonly disk: true
    }

/** A task whose lease this pool holds, claimed and not yet started. */
export interface Claim {
  readonly lease: Lease
  readonly row: ClaimableRow
  /** The task as it was planned, handed to the processor as it is. */
  readonly task: TaskForProcessing
  readonly plan: ProcessingPlan
}

/**
 * One attempt at a task, and the context its processor sees. One object per
 * attempt and nothing made that the attempt does not use: for quick tasks
 * the pool's own allocations are what limits throughput.
 */
export class TaskRun implements ProcessingContext {
  readonly lease: Lease
  readonly row: ClaimableRow
  readonly plan: ProcessingPlan
  stopReason: StopReason | null = null
  /** Set once the attempt has its outcome; whatever the processor does after that is ignored. */
  ended = false
  private abort: AbortController | null = null

  readonly task: TaskForProcessing

  constructor(
    claim: Claim,
    readonly startedAt: number,
    /** On the monotonic clock, which stands still while the machine sleeps: time asleep never times a run out. */
    readonly deadline: number,
    private readonly report: (run: TaskRun, message: string) => void
  ) {
    this.lease = claim.lease
    this.row = claim.row
    this.task = claim.task
    this.plan = claim.plan
  }

  /** Made on first read: most quick calls never read it, and an AbortController costs more than such a task. */
  get signal(): AbortSignal {
    if (!this.abort) {
      this.abort = new AbortController()
      if (this.stopReason) this.abort.abort(new Error(this.stopReason))
    }
    return this.abort.signal
  }

  // An arrow, so a processor may pass it on detached from its context.
  readonly progress = (message: string): void => this.report(this, message)

  /** Marks the run stopped and aborts its calls; false when it already was, or had ended. */
  stop(reason: StopReason): boolean {
    if (this.stopReason || this.ended) return false
    this.stopReason = reason
    this.abort?.abort(new Error(reason))
    return true
  }
}

/**
 * The task as a processor sees it. Its metadata is parsed here once, in
 * JavaScript, and only when there is any: most tasks carry `{}`, and three
 * json_extract calls per candidate row parsed the text three times in SQLite.
 */
export function forProcessing(row: ClaimableRow): TaskForProcessing {
  const metadata = row.metadata === '{}' ? null : parseMetadata(row.metadata)
  const correlationId = metadata?.['correlationId']
  const project = metadata?.['project']
  const workflowRunId = metadata?.['workflowRunId']
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    domain: row.domain,
    priority: row.priority,
    assigneeExpert: row.assignee_expert,
    preferredBackend: row.preferred_backend,
    preferredModel: row.preferred_model,
    correlationId:
      typeof correlationId === 'string'
        ? correlationId
        : correlationId === undefined || correlationId === null
          ? `task-${row.id}-${row.attempt_count + 1}`
          : JSON.stringify(correlationId),
    project: typeof project === 'string' && project.trim() ? project.trim() : null,
    workflowRunId: typeof workflowRunId === 'string' ? workflowRunId : null
  }
}

/** An attempt's error as its outcome: a stop by the pool first, then the processor's own type, then what the message says. */
export function classify(error: unknown, run: TaskRun, timeoutMs: number): Outcome & { ok: false } {
  if (run.stopReason === 'timeout')
    return { ok: false, type: 'timeout', message: `no answer within ${Math.round(timeoutMs / 1000)} s` }
  if (storageFailureOf(error))
    return {
      ok: false,
      type: 'other',
      message: `The disk refused a write (${error instanceof Error ? error.message : String(error)}): the task runs again once there is room.`,
      retryAfterMs: DISK_RETRY_MS,
      disk: true
    }
  if (isBackendFailure(error))
    return { ok: false, type: error.type, message: error.message, retryAfterMs: error.retryAfterMs }
  if (error instanceof ProcessingError) return { ok: false, type: error.type, message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  if (/ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|fetch failed/i.test(message))
    return { ok: false, type: 'connection_error', message }
  if (/out of memory|\boom\b|metal/i.test(message)) return { ok: false, type: 'oom_or_metal', message }
  return { ok: false, type: 'other', message }
}
