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
}

/** Where a task would run; the scheduler groups and caps by it before any request is made. */
export interface ProcessingPlan {
  readonly backend: string
  readonly model: string
  readonly heavy: boolean
}

export interface ProcessingContext {
  /** Read it only when needed: the engine makes it on first read, since most quick calls never need one. */
  readonly signal: AbortSignal
  /** A line of progress for the task's event log (e.g. "model loaded", "first token after 1.2 s"). */
  progress(message: string): void
}

/** A failure the engine can classify without parsing messages. */
export type ProcessingErrorType = 'timeout' | 'empty_or_short_response' | 'validation_failed' | 'connection_error' | 'oom_or_metal' | 'other'

export class ProcessingError extends Error {
  constructor(
    readonly type: ProcessingErrorType,
    message: string
  ) {
    super(message)
    this.name = 'ProcessingError'
  }
}

/**
 * The backend failed, not the task (its circuit is open: every request to the
 * node/model fails). The engine puts the task back as pending without counting
 * an attempt and shows `reason` as why it waits; it is claimed again no sooner
 * than `retryAfterMs` from now.
 */
export class BackendFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs: number | null = null
  ) {
    super(reason)
    this.name = 'BackendFailure'
  }
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
  plan(task: TaskForProcessing): ProcessingPlan
  /** Waits until the model is loaded and ready (load buffer), so the first request does not time out. */
  ensureReady(plan: ProcessingPlan, ctx: Pick<ProcessingContext, 'signal'>): Promise<void>
  /** The answer text. Throws ProcessingError for classified failures; anything else counts as `other`. */
  process(task: TaskForProcessing, plan: ProcessingPlan, ctx: ProcessingContext): Promise<string>
  /** Per-backend load, read by adaptive concurrency every cycle. */
  load(): readonly BackendLoad[]
  /** Optional judge of an answer, 0…1; the engine fails answers scored under worker.minValidatorScore. */
  score?(task: TaskForProcessing, answer: string, signal: AbortSignal): Promise<number>
}
