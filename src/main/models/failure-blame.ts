import type { FailureBlame } from '../ports/task-processor'
import type { CircuitBoard } from './circuit-board'
import type { ProviderError } from './provider-error'
import type { AttemptFailure, AttemptFailureKind } from './route-error'

/**
 * Failures of the server or the transport, never of the question asked: the
 * model did not give an answer at all. They defer the task without using an
 * attempt, and the circuit decides whether the node/model is planned on.
 */
const BACKEND_KINDS: ReadonlySet<AttemptFailureKind> = new Set([
  'connection',
  'stream_interrupted',
  'server_error',
  'runner_terminated',
  'oom',
  'not_found',
  'bad_response',
  'aborted'
])

/**
 * Whose failure a request's attempts show. The task's own only when the
 * evidence says so: it got an answer that failed (an echo, nothing, no
 * answer in time) from a model that answers others, the server refused
 * the request itself (a 4xx, e.g. a prompt over the context length), or
 * this prompt already opened the circuit and the model then answered a probe.
 * Everything else is the backend's.
 */
export function blameOf(
  attempts: readonly AttemptFailure[],
  circuits: Pick<CircuitBoard, 'answersOthers'>
): FailureBlame {
  const own = attempts.some(
    (a) =>
      a.kind === 'http' ||
      a.failsAlone === true ||
      (!BACKEND_KINDS.has(a.kind) && circuits.answersOthers(a.node, a.model))
  )
  return own ? 'task' : 'backend'
}

const KIND_LABEL: Readonly<Record<AttemptFailureKind, string>> = {
  connection: 'connection refused or reset',
  not_found: 'model not found',
  runner_terminated: 'model runner terminated',
  oom: 'out of memory',
  timeout: 'no answer in time',
  stream_interrupted: 'answer cut off mid-stream',
  bad_response: 'malformed answer',
  server_error: 'server error',
  http: 'request refused',
  aborted: 'cancelled',
  echo: 'echo of the prompt',
  empty: 'empty answer'
}

/** A failure in a few words for a circuit's reason: `500 “llama runner process has terminated”`, `connection refused or reset`. */
export function failureLabel(kind: AttemptFailureKind, error?: Pick<ProviderError, 'status' | 'detail'>): string {
  const detail = error?.detail?.split('\n')[0]?.trim()
  const words = detail ? `“${detail.length > 60 ? `${detail.slice(0, 57)}…` : detail}”` : KIND_LABEL[kind]
  return error?.status ? `${error.status} ${words}` : words
}
