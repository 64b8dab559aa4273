import type { CheckResult, PlaybookMatch, PlaybookRuleView } from '../../shared/contract/checklist-contract'
import type { TaskErrorType } from '../../shared/contract/tasks-contract'
import type { FixId } from './check-definition'

/** Everything a rule may look at: the checks just run, recent log lines, and task failures by type. */
export interface PlaybookEvidence {
  readonly checks: readonly CheckResult[]
  readonly logLines: readonly string[]
  readonly errorTypes: Readonly<Record<string, number>>
}

interface PlaybookRule {
  readonly id: string
  readonly title: string
  readonly cause: string
  readonly remedy: string
  readonly fix: FixId | null
  /** The evidence lines that match, empty when the rule does not apply. */
  match(evidence: PlaybookEvidence): string[]
}

const linesMatching = (pattern: RegExp) => (e: PlaybookEvidence) => e.logLines.filter((l) => pattern.test(l)).slice(-3)
const failing =
  (...ids: string[]) =>
  (e: PlaybookEvidence) =>
    e.checks.filter((c) => ids.includes(c.id) && c.status === 'fail').map((c) => `${c.id}: ${c.evidence}`)
/** Task attempts sent to manual review with these error types. */
const errorsOf =
  (...types: TaskErrorType[]) =>
  (e: PlaybookEvidence): string[] =>
    types.flatMap((t) => ((e.errorTypes[t] ?? 0) > 0 ? [`${e.errorTypes[t]} task(s) in manual review with ${t}`] : []))
/** The open-circuits check, when a circuit's reason names this failure. */
const circuitsFailing = (pattern: RegExp) => (e: PlaybookEvidence) =>
  e.checks
    .filter((c) => c.id === 'models.circuits-closed' && c.status !== 'pass' && pattern.test(c.evidence))
    .map((c) => `${c.id}: ${c.evidence}`)
const either =
  (...matchers: ((e: PlaybookEvidence) => string[])[]) =>
  (e: PlaybookEvidence) =>
    matchers.flatMap((m) => m(e))

/**
 * The known failures of a local-LLM corporation on a Mac, each with what it
 * looks like in our evidence, why it happens and what fixes it — the failure
 * table operators used to keep by hand, turned into rules.
 */
export const PLAYBOOK: readonly PlaybookRule[] = [
  {
    id: 'ollama-runner-terminated',
    title: 'Ollama’s model runner terminated',
    cause:
      'Ollama answered 500 "llama runner process has terminated": the process that runs the model died (a crash, a Metal compiler fault, or the Mac waking from sleep with a stale GPU context). It is out of memory only when the log says so; that is its own rule.',
    remedy:
      'Restart Ollama, which starts a fresh runner; if it keeps dying, read ~/.ollama/logs/server.log for the line before the crash. Tasks waited without using attempts while its circuit was open.',
    fix: 'restart-ollama',
    match: either(
      linesMatching(/llama runner process has terminated|runner process no longer running|MTLCompilerService/i),
      errorsOf('runner_terminated'),
      circuitsFailing(/runner process has terminated|runner terminated/i)
    )
  },
  {
    id: 'ollama-started-as-another-user',
    title: 'Ollama lists no models although models are installed',
    cause:
      'The Ollama server was started by another user (or by root / a service), so it reads another ~/.ollama/models and sees none of yours.',
    remedy: 'Stop that server and let the app start `ollama serve` as you, or start it yourself from your own account.',
    fix: 'restart-ollama',
    match: either(linesMatching(/started as another user/i), (e) =>
      e.checks
        .filter((c) => c.area === 'models' && /another user/i.test(c.evidence))
        .map((c) => `${c.id}: ${c.evidence}`)
    )
  },
  {
    id: 'metal-out-of-memory',
    title: 'GPU (Metal) out of memory',
    cause:
      'Heavy prompts or several requests at once exhausted GPU memory: the server said so ("Insufficient Memory", kIOGPUCommandBufferErrorOutOfMemory, "failed to allocate context") and its process was killed or refused the model.',
    remedy: 'Lower concurrency so fewer requests share the GPU, use a smaller model, or close other GPU-heavy apps.',
    fix: 'lower-concurrency',
    match: either(
      linesMatching(
        /Insufficient Memory|kIOGPUCommandBufferErrorOutOfMemory|out of memory|failed to allocate context/i
      ),
      errorsOf('oom_or_metal'),
      circuitsFailing(/out of memory|Insufficient Memory|failed to allocate/i)
    )
  },
  {
    id: 'server-overloaded',
    title: 'Model server overloaded (503)',
    cause:
      'More requests than the server’s slots reached it at once, and it refused the rest with 503 "Server overloaded".',
    remedy: 'Lower concurrency for that backend so requests queue in the app instead of being refused by the server.',
    fix: 'lower-concurrency',
    match: linesMatching(/\b503\b.*overload|Server overloaded/i)
  },
  {
    id: 'backend-failing-generations',
    title: 'A model server is up but its generations fail',
    cause:
      'The server answers its model list, so it looks up, but fails the generations themselves (500s, cut answers, echoes): tasks on it cannot complete.',
    remedy:
      'Restart the server; until a probe generation succeeds, tasks for it wait without using attempts. The Models view shows each open circuit and its reason.',
    fix: 'restart-ollama',
    match: failing('models.generation-success', 'models.circuits-closed')
  },
  {
    id: 'server-echoes-prompts',
    title: 'A model server echoes the prompt back',
    cause:
      'The server returned the prompt as its answer: the model lost its chat template or context (a broken model file, a server restarted half-way, an MLX server without the template).',
    remedy:
      'Restart the server so it loads the model afresh; if it persists, pull the model again or pick another in the Models view.',
    fix: 'restart-ollama',
    match: either(errorsOf('echo'), circuitsFailing(/echo of the prompt/i))
  },
  {
    id: 'stream-interrupted',
    title: 'Answers cut off mid-stream',
    cause:
      'The server began an answer and the connection closed before it said it was done: the server process restarted or crashed while answering, or a proxy in between cut it.',
    remedy:
      'Restart the server and read its log for a crash at that time; tasks cut off wait and run again without using attempts.',
    fix: 'restart-ollama',
    match: either(errorsOf('stream_interrupted'), circuitsFailing(/cut off mid-stream/i))
  },
  {
    id: 'server-error',
    title: 'Model server errors (5xx)',
    cause:
      'The server failed requests with a 5xx status (or an error in the middle of an answer) that names no known cause.',
    remedy: 'Restart the server; if it repeats, its log names the cause.',
    fix: 'restart-ollama',
    match: errorsOf('server_error')
  },
  {
    id: 'server-unreachable',
    title: 'Model server unreachable',
    cause:
      'Connections to the server were refused or reset: it is not running (stopped, crashed, not started after sleep) or listens elsewhere.',
    remedy: 'Start (restart) the server, or check its URL in Settings; tasks wait for it without using attempts.',
    fix: 'restart-ollama',
    match: either(errorsOf('connection_error'), failing('models.nodes-reachable'))
  },
  {
    id: 'generation-timeouts',
    title: 'Answers took longer than the timeout',
    cause: 'The model did not finish within llm.requestTimeoutSec: a large model, a long prompt or a busy machine.',
    remedy:
      'Give answers more time (raises llm.requestTimeoutSec, which the router and the worker share), or prefer a smaller model for that category.',
    fix: 'raise-timeout',
    match: errorsOf('timeout')
  },
  {
    id: 'answers-rejected',
    title: 'Answers rejected by the answer checks',
    cause:
      'The model answered, but the answer was empty, shorter than worker.minAnswerChars, or scored under worker.minValidatorScore, while the same model answers other tasks.',
    remedy:
      'Read the task’s answer and last error; make the task clearer or prefer a stronger model for its category, then return it.',
    fix: null,
    match: errorsOf('empty_or_short_response', 'validation_failed')
  },
  {
    id: 'crash-interrupted',
    title: 'Runs interrupted by the app’s own crash',
    cause:
      'The app’s process died (force-quit, crash, power loss) while the task ran; if the same task was running at several crashes in a row, it may be what crashes the app.',
    remedy:
      'Read the task and the log around the crashes before returning it; a task that crashes the app again is set aside again.',
    fix: null,
    match: errorsOf('interrupted')
  },
  {
    id: 'unclassified-failure',
    title: 'Failures of no known kind',
    cause:
      'An attempt failed with an error that matches no known pattern (a model missing on a node, a refused request, an unexpected reply).',
    remedy: 'Read the task’s last error and the log lines around it; fix what it names, then return the task.',
    fix: null,
    match: errorsOf('other')
  },
  {
    id: 'embedding-dimension-mismatch',
    title: 'Embeddings of the wrong dimension',
    cause:
      'The embedding model changed (e.g. 384-dimensional vectors against a 768-dimensional collection); mixing them would corrupt search.',
    remedy: 'Re-embed the collection with the current model; vector search resumes when the job finishes.',
    fix: 're-embed',
    match: either(
      failing('knowledge.embedding-dimension'),
      linesMatching(/dimension mismatch|vector of length \d+ .* collection/i)
    )
  },
  {
    id: 'timeout-mismatch',
    title: 'Router and worker disagree on timeouts',
    cause:
      'A request gives up (or a task is declared stuck) before the other side has finished waiting, so good work lands in manual review.',
    remedy:
      'Use one LLM timeout for router and worker, and keep the stuck threshold well above the heartbeat interval.',
    fix: null,
    match: failing('models.timeouts-aligned')
  },
  {
    id: 'stalled-heartbeats',
    title: 'Running tasks stopped sending heartbeats',
    cause:
      'The worker’s event loop was blocked or the process hung, so tasks in progress were not refreshed and look stuck.',
    remedy:
      'Return the affected tasks to autoprocessing; if it repeats, look in the log for the operation that blocked.',
    fix: 'return-deferred',
    match: failing('worker.no-stuck-tasks')
  },
  {
    id: 'duplicate-worker',
    title: 'Two workers on one database',
    cause:
      'A second instance (another app copy, `kos serve`, an old container) works on the same data, doubling the load and racing for tasks.',
    remedy: 'Stop the other instance named in the evidence; only one may own a data dir.',
    fix: null,
    match: either(failing('app.single-instance'), linesMatching(/is in use by/i))
  }
]

/** The rule for each error type a task records, so manual review can show its cause, remedy and fix. */
const RULE_FOR_ERROR: Readonly<Record<TaskErrorType, string>> = {
  runner_terminated: 'ollama-runner-terminated',
  oom_or_metal: 'metal-out-of-memory',
  echo: 'server-echoes-prompts',
  stream_interrupted: 'stream-interrupted',
  server_error: 'server-error',
  connection_error: 'server-unreachable',
  timeout: 'generation-timeouts',
  empty_or_short_response: 'answers-rejected',
  validation_failed: 'answers-rejected',
  interrupted: 'crash-interrupted',
  other: 'unclassified-failure'
}

/** The rule of a task's recorded error type, its fix offered only when this host has it. */
/** `byHand` says what a person does instead of a fix this host cannot run now (null: nothing to add). */
export function ruleForErrorType(
  type: TaskErrorType,
  available: ReadonlySet<FixId>,
  byHand: (fix: FixId) => string | null = () => null
): PlaybookRuleView {
  const rule = PLAYBOOK.find((r) => r.id === RULE_FOR_ERROR[type])
  if (!rule) throw new Error(`no playbook rule ${RULE_FOR_ERROR[type]} for the error type ${type}`)
  const offered = rule.fix && available.has(rule.fix) ? rule.fix : null
  return {
    ruleId: rule.id,
    title: rule.title,
    cause: rule.cause,
    remedy: rule.remedy,
    fix: offered,
    byHand: rule.fix && !offered ? byHand(rule.fix) : null
  }
}

export function matchPlaybook(evidence: PlaybookEvidence, available: ReadonlySet<FixId>): PlaybookMatch[] {
  return PLAYBOOK.flatMap((rule) => {
    const found = rule.match(evidence)
    if (found.length === 0) return []
    return [
      {
        ruleId: rule.id,
        title: rule.title,
        cause: rule.cause,
        remedy: rule.remedy,
        fix: rule.fix && available.has(rule.fix) ? rule.fix : null,
        evidence: found
      }
    ]
  })
}
