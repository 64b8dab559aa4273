/**
 * How the task engine gets work done without knowing about models: the
 * router implements this, tests use scripted processors. Lives below both
 * (rank 2) so neither capability imports the other.
 */

export interface TaskForProcessing {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly domain: string | null
  readonly priority: 'low' | 'normal' | 'high' | 'urgent'
  readonly assigneeExpert: string | null
  readonly preferredBackend: string | null
  readonly preferredModel: string | null
  readonly correlationId: string
  /** metadata.project, where the task names one (usage is counted per project: this, else the domain). */
  readonly project?: string | null
  /** metadata.workflowRunId: the task is a step of a workflow run. */
  readonly workflowRunId?: string | null
}

/** Where a task would run; the scheduler groups and caps by it before any request is made. */
export interface ProcessingPlan {
  readonly backend: string
  readonly model: string
  readonly heavy: boolean
  /** Set by a processor that answers several tasks in one model call (batching): which tasks may share a call. */
  readonly batch?: BatchPlan
  /** Set by the scheduler: the one model call this task shares with the others picked with it. */
  readonly call?: SharedCall
}

/** Tasks of one key on one node may share a call, up to `maxTasks` of them and `maxTokens` together. */
export interface BatchPlan {
  readonly key: string
  readonly tokens: number
  readonly maxTasks: number
  readonly maxTokens: number
}

/** A model call several tasks ride on: node caps count it once, and its processor makes its calls one at a time. */
export interface SharedCall {
  readonly id: string
  /** How many tasks were picked into it, so its processor sends it once they have all started. */
  readonly tasks: number
}

export interface ProcessingContext {
  /** Read it only when needed: the engine makes it on first read, since most quick calls never need one. */
  readonly signal: AbortSignal
  /** A line of progress for the task's event log (e.g. "model loaded", "first token after 1.2 s"). */
  progress(message: string): void
}

/** A failure the engine can classify without parsing messages (the same names as the contract's TaskErrorType). */
export type ProcessingErrorType =
  | 'timeout'
  | 'empty_or_short_response'
  | 'validation_failed'
  | 'connection_error'
  | 'oom_or_metal'
  | 'runner_terminated'
  | 'stream_interrupted'
  | 'echo'
  | 'server_error'
  | 'other'

/**
 * Whose failure it is.
 * - `task`: the task's own (its answer failed while the same model answers others): the engine
 *   counts an attempt, as for any failure.
 * - `backend`: every request to the node/model fails (a circuit is open, the node refused the
 *   connection, nothing shows the model answering anyone): the engine must NOT count an attempt. It
 *   puts the task back to wait, not before `retryAfterMs`, shows `message` as the waiting reason, and
 *   plan() keeps it waiting while the backend stays failed ("ollama-local: 500 on 8 of the last 8
 *   generations since 14:02").
 */
export type FailureBlame = 'task' | 'backend'

export interface ProcessingErrorOptions {
  readonly blame?: FailureBlame
  /** For `backend` failures: how long the task should wait at least before it is planned again, ms. */
  readonly retryAfterMs?: number
}

export class ProcessingError extends Error {
  readonly blame: FailureBlame
  readonly retryAfterMs: number

  constructor(
    readonly type: ProcessingErrorType,
    message: string,
    options: ProcessingErrorOptions = {}
  ) {
    super(message)
    this.name = 'ProcessingError'
    this.blame = options.blame ?? 'task'
    this.retryAfterMs = options.retryAfterMs ?? 0
  }
}

/** True for a failure of the backend, not of the task: the engine defers the task without counting an attempt. */
export function isBackendFailure(error: unknown): error is ProcessingError {
  return error instanceof ProcessingError && error.blame === 'backend'
}

export interface BackendLoad {
  readonly backend: string
  readonly activeRequests: number
  /** Median latency of recent requests, ms; null before any. */
  readonly latencyMs: number | null
  /** Errors among the recent requests, 0…1. */
  readonly errorRate: number
  readonly oomRecently: boolean
}

export interface TaskProcessor {
  /** Where the task would run. Throws a `backend` ProcessingError when nowhere can take it now; the task then stays pending, unclaimed. */
  plan(task: TaskForProcessing): ProcessingPlan
  /** Waits until the model is loaded and ready (load buffer), so the first request does not time out. */
  ensureReady(plan: ProcessingPlan, ctx: Pick<ProcessingContext, 'signal'>): Promise<void>
  /**
   * The answer text. Throws ProcessingError for classified failures (its `blame` says whether the
   * attempt counts); anything else counts as `other`, blamed on the task.
   */
  process(task: TaskForProcessing, plan: ProcessingPlan, ctx: ProcessingContext): Promise<string>
  /** Per-backend load, read by adaptive concurrency every cycle. */
  load(): readonly BackendLoad[]
  /** Optional judge of an answer, 0…1; the engine fails answers scored under worker.minValidatorScore. */
  score?(task: TaskForProcessing, answer: string, signal: AbortSignal): Promise<number>
}
