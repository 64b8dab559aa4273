import { ProcessingError, type ProcessingErrorOptions, type ProcessingErrorType } from '../ports/task-processor'
import type { ProviderErrorKind } from './provider-error'

export type AttemptFailureKind = ProviderErrorKind | 'echo' | 'empty'

export interface AttemptFailure {
  readonly node: string
  readonly model: string
  readonly kind: AttemptFailureKind
  readonly message: string
  /** The model answered others (a probe) since this prompt opened its circuit: the prompt's failure, not the node's. */
  readonly failsAlone?: true
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

  /**
   * The class the task engine records: out of memory anywhere wins (it is the one failure that asks
   * for lower concurrency), then the last attempt's own kind.
   */
  processingType(): ProcessingErrorType {
    if (this.attempts.some((a) => a.kind === 'oom')) return 'oom_or_metal'
    const last = this.attempts.at(-1)
    if (!last) return 'connection_error'
    return PROCESSING_TYPE[last.kind]
  }

  toProcessingError(options?: ProcessingErrorOptions): ProcessingError {
    return new ProcessingError(this.processingType(), this.message, options)
  }
}

export const PROCESSING_TYPE: Readonly<Record<AttemptFailureKind, ProcessingErrorType>> = {
  connection: 'connection_error',
  stream_interrupted: 'stream_interrupted',
  timeout: 'timeout',
  aborted: 'timeout',
  oom: 'oom_or_metal',
  runner_terminated: 'runner_terminated',
  server_error: 'server_error',
  echo: 'echo',
  empty: 'empty_or_short_response',
  not_found: 'other',
  http: 'other',
  bad_response: 'other'
}

export function describeAttempts(attempts: readonly AttemptFailure[]): string {
  return attempts.map((a) => `${a.model} on ${a.node}: ${a.message}`).join('; ')
}
