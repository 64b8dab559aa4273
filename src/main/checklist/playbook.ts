import type { CheckResult, PlaybookMatch } from '../../shared/contract/checklist-contract'
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
const failing = (...ids: string[]) => (e: PlaybookEvidence) =>
  e.checks.filter((c) => ids.includes(c.id) && c.status === 'fail').map((c) => `${c.id}: ${c.evidence}`)
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
    title: 'Ollama’s model runner crashed',
    cause: 'Ollama answered 500 "llama runner process has terminated": the runner died, usually from GPU memory pressure when MLX and Ollama load models at once, or a Metal compiler fault.',
    remedy: 'Restart Ollama; if it repeats, lower concurrency on that backend or keep fewer models loaded (OLLAMA_MAX_LOADED_MODELS=1).',
    fix: 'restart-ollama',
    match: linesMatching(/llama runner process has terminated|failed to allocate context|MTLCompilerService/i)
  },
  {
    id: 'ollama-started-as-another-user',
    title: 'Ollama lists no models although models are installed',
    cause: 'The Ollama server was started by another user (or by root / a service), so it reads another ~/.ollama/models and sees none of yours.',
    remedy: 'Stop that server and let the app start `ollama serve` as you, or start it yourself from your own account.',
    fix: 'restart-ollama',
    match: either(linesMatching(/started as another user/i), (e) => e.checks.filter((c) => c.area === 'models' && /another user/i.test(c.evidence)).map((c) => `${c.id}: ${c.evidence}`))
  },
  {
    id: 'metal-out-of-memory',
    title: 'GPU (Metal) out of memory',
    cause: 'Heavy prompts or several requests at once exhausted GPU memory; the server process was killed ("Insufficient Memory", kIOGPUCommandBufferErrorOutOfMemory).',
    remedy: 'Lower concurrency for that backend (the safe profile), use a smaller model, or close other GPU-heavy apps.',
    fix: 'lower-concurrency',
    match: either(linesMatching(/Insufficient Memory|kIOGPUCommandBufferErrorOutOfMemory|out of memory/i), (e) =>
      (e.errorTypes.oom_or_metal ?? 0) > 0 ? [`${e.errorTypes.oom_or_metal} task attempt(s) failed with oom_or_metal`] : []
    )
  },
  {
    id: 'server-overloaded',
    title: 'Model server overloaded (503)',
    cause: 'More requests than the server’s slots reached it at once, and it refused the rest with 503 "Server overloaded".',
    remedy: 'Lower concurrency for that backend so requests queue in the app instead of being refused by the server.',
    fix: 'lower-concurrency',
    match: linesMatching(/\b503\b.*overload|Server overloaded/i)
  },
  {
    id: 'embedding-dimension-mismatch',
    title: 'Embeddings of the wrong dimension',
    cause: 'The embedding model changed (e.g. 384-dimensional vectors against a 768-dimensional collection); mixing them would corrupt search.',
    remedy: 'Re-embed the collection with the current model; vector search resumes when the job finishes.',
    fix: 're-embed',
    match: either(failing('knowledge.embedding-dimension'), linesMatching(/dimension mismatch|vector of length \d+ .* collection/i))
  },
  {
    id: 'timeout-mismatch',
    title: 'Router and worker disagree on timeouts',
    cause: 'A request gives up (or a task is declared stuck) before the other side has finished waiting, so good work lands in manual review.',
    remedy: 'Use one LLM timeout for router and worker, and keep the stuck threshold well above the heartbeat interval.',
    fix: null,
    match: failing('models.timeouts-aligned')
  },
  {
    id: 'stalled-heartbeats',
    title: 'Running tasks stopped sending heartbeats',
    cause: 'The worker’s event loop was blocked or the process hung, so tasks in progress were not refreshed and look stuck.',
    remedy: 'Return the affected tasks to autoprocessing; if it repeats, look in the log for the operation that blocked.',
    fix: 'return-deferred',
    match: failing('worker.no-stuck-tasks')
  },
  {
    id: 'duplicate-worker',
    title: 'Two workers on one database',
    cause: 'A second instance (another app copy, `kos serve`, an old container) works on the same data, doubling the load and racing for tasks.',
    remedy: 'Stop the other instance named in the evidence; only one may own a data dir.',
    fix: null,
    match: either(failing('app.single-instance'), linesMatching(/is in use by/i))
  }
]

export function matchPlaybook(evidence: PlaybookEvidence, available: ReadonlySet<FixId>): PlaybookMatch[] {
  return PLAYBOOK.flatMap((rule) => {
    const found = rule.match(evidence)
    if (found.length === 0) return []
    return [{ ruleId: rule.id, title: rule.title, cause: rule.cause, remedy: rule.remedy, fix: rule.fix && available.has(rule.fix) ? rule.fix : null, evidence: found }]
  })
}
