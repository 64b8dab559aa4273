import { ProcessingError, type ProcessingErrorType } from '../ports/task-processor'
import type { ProviderErrorKind } from './provider-error'

export type AttemptFailureKind = ProviderErrorKind | 'echo' | 'empty'

export interface AttemptFailure {
  readonly node: string
  readonly model: string
  readonly kind: AttemptFailureKind
  readonly message: string
}

/** Every candidate failed (or there was none): each attempt and why, in order. */
export class RouteError extends Error {
  constructor(
    readonly attempts: readonly AttemptFailure[],
    message: string
  ) {
    super(message)
    this.name = 'RouteError'
  }

  /** The class the task engine acts on: out-of-memory anywhere wins, since it must lower concurrency. */
  processingType(): ProcessingErrorType {
    if (this.attempts.some((a) => a.kind === 'oom' || a.kind === 'runner_crashed')) return 'oom_or_metal'
    const last = this.attempts.at(-1)
    if (!last) return 'connection_error'
    return PROCESSING_TYPE[last.kind]
  }

  toProcessingError(): ProcessingError {
    return new ProcessingError(this.processingType(), this.message)
  }
}

const PROCESSING_TYPE: Record<AttemptFailureKind, ProcessingErrorType> = {
  connection: 'connection_error',
  stream_cut: 'connection_error',
  timeout: 'timeout',
  aborted: 'timeout',
  oom: 'oom_or_metal',
  runner_crashed: 'oom_or_metal',
  echo: 'validation_failed',
  empty: 'empty_or_short_response',
  not_found: 'other',
  http: 'other',
  bad_response: 'other'
}

export function describeAttempts(attempts: readonly AttemptFailure[]): string {
  return attempts.map((a) => `${a.model} on ${a.node}: ${a.message}`).join('; ')
}
