import type { KosClient } from '../../../shared/contract/client'
import type { CallInput, CallName, CallOutput } from '../../../shared/contract/contract'
import type { CheckDefinition, CheckOutcome } from '../check-definition'
import { generationChecks, type GenerationThreshold } from './generation-checks'

export interface CapabilityCheckDeps {
  /** Read-scoped: a check observes, it never changes anything. */
  readonly client: KosClient
  readonly stuckMinutes: () => number
  readonly now: () => Date
  /** When a node's generations count as failing; the circuits' own defaults when absent. */
  readonly generationThreshold?: () => GenerationThreshold
}

/**
 * Checks of the worker, models, knowledge base and chat, each measured
 * through the same contract calls the views use, so the checklist sees what
 * a person would see.
 */
export function capabilityChecks(deps: CapabilityCheckDeps): CheckDefinition[] {
  const read = async <N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> => {
    const result = await deps.client.call(name, input)
    if (!result.ok) throw new Error(`${name} refused: ${result.error.message}`)
    return result.value
  }
  // The generation checks read two calls; overloads keep each one's own output type.
  function modelReads(name: 'models.circuits'): Promise<CallOutput<'models.circuits'>>
  function modelReads(name: 'models.list'): Promise<CallOutput<'models.list'>>
  function modelReads(
    name: 'models.circuits' | 'models.list'
  ): Promise<CallOutput<'models.circuits'> | CallOutput<'models.list'>> {
    return name === 'models.circuits' ? read('models.circuits', {}) : read('models.list', {})
  }

  return [
    {
      id: 'models.nodes-reachable',
      title: 'Model servers reachable, with models',
      area: 'models',
      severity: 'hard',
      measures: 'A fresh scan of every configured node: reachable, and a non-empty model list.',
      remedy:
        'Start the server (Models view, or `ollama serve`), check its URL in Settings; an empty list from a server started as another user needs it restarted as you.',
      fix: 'restart-ollama',
      async run(): Promise<CheckOutcome> {
        const [overview, processes] = await Promise.all([read('models.scan', {}), read('supervisor.list', {})])
        // A node nobody set up (the default MLX URL, never seen up, not supervised) is not a problem, only a note.
        const unset = overview.nodes.filter((n) => n.state === 'not_configured')
        const nodes = overview.nodes.filter((n) => n.state !== 'not_configured')
        if (nodes.length === 0)
          return {
            status: 'fail',
            evidence: `no model server is set up${unset.length ? `: ${unset.map((n) => `${n.label}: nothing at ${n.url}`).join('; ')}` : ''}`
          }
        const problems = nodes.flatMap((n) => {
          if (n.state !== 'up') return [`${n.label} (${n.url}) is down: ${n.error ?? 'no answer'}`]
          if (n.state === 'up' && n.models.length === 0) {
            const warning = processes.find((p) => p.warning && /another user/i.test(p.warning))?.warning
            return [`${n.label} (${n.url}) lists 0 models${warning ? `: ${warning}` : ''}`]
          }
          return []
        })
        const up = nodes.filter((n) => n.state === 'up' && n.models.length > 0)
        const notes = unset.map((n) => `${n.label}: not set up`)
        if (problems.length === 0)
          return {
            status: 'pass',
            evidence: [
              ...up.map((n) => `${n.label}: ${n.models.length} models, ${n.latencyMs ?? '?'} ms`),
              ...notes
            ].join('; ')
          }
        return { status: up.length > 0 ? 'warn' : 'fail', evidence: problems.join('; ') }
      }
    },
    ...generationChecks(modelReads, deps.generationThreshold ?? (() => ({ failurePercent: 30, minGenerations: 5 }))),
    {
      id: 'models.supervisor-restarts',
      title: 'Supervised servers under the restart limit',
      area: 'models',
      severity: 'hard',
      measures: 'Restarts in the last hour of each server the app supervises (limit 5), and any that needs attention.',
      remedy:
        'Read the server’s last log lines in the Models view; fix the cause (memory, model, port), then start it again.',
      fix: 'restart-ollama',
      async run() {
        const processes = await read('supervisor.list', {})
        const attention = processes.filter((p) => p.state === 'needs_attention')
        const evidence = processes
          .map(
            (p) =>
              `${p.label}: ${p.state}, ${p.restartsLastHour} restarts in the last hour${p.reason ? ` (${p.reason})` : ''}`
          )
          .join('; ')
        if (attention.length > 0) return { status: 'fail', evidence }
        return {
          status: processes.some((p) => p.restartsLastHour >= 3) ? 'warn' : 'pass',
          evidence: evidence || 'no server is supervised'
        }
      }
    },
    {
      id: 'knowledge.embedding-dimension',
      title: 'Embedding model matches the collection',
      area: 'knowledge',
      severity: 'hard',
      measures:
        'The embedding model reachable now and its vector length, against the model and dimension the collection was built with.',
      remedy:
        'Re-embed the collection with the current model (Knowledge view), or switch back to the model it was built with.',
      fix: 're-embed',
      async run() {
        const stats = await read('knowledge.stats', {})
        const e = stats.embedding
        const collection = stats.collection
          ? `collection ${stats.collection.modelId} (${stats.collection.dimension} dims)`
          : 'no collection yet'
        switch (e.state) {
          case 'model_changed':
            return {
              status: 'fail',
              evidence: `model gives ${e.current.dimension} dims (${e.current.id}), ${collection}`
            }
          case 'failed':
            return { status: 'fail', evidence: `embedding failed: ${e.reason}` }
          case 'off':
          case 'waiting':
            return {
              status: 'warn',
              evidence: `no embedding model reachable (${e.reason}); search is full text only; ${collection}`
            }
          case 'embedding':
            return {
              status: 'pass',
              evidence: `embedding ${e.done}/${e.total} with ${e.model.id} (${e.model.dimension} dims)`
            }
          case 'idle':
            return {
              status: 'pass',
              evidence: `${e.model.id} (${e.model.dimension} dims) = ${collection}; ${stats.embeddedPercent.toFixed(0)}% embedded`
            }
        }
      }
    },
    {
      id: 'worker.no-stuck-tasks',
      title: 'No task stuck past the threshold',
      area: 'worker',
      severity: 'hard',
      measures: 'Tasks in progress whose last heartbeat is older than worker.stuckMinutes.',
      remedy:
        'The worker resets them to pending on its own; if they keep getting stuck, look in the log for what blocked the worker.',
      fix: 'return-deferred',
      async run() {
        const list = await read('tasks.list', { status: 'in_progress', limit: 1000 })
        const limitMs = deps.stuckMinutes() * 60_000
        const now = deps.now().getTime()
        // Tasks in progress are few (at most the pool size), so each one's heartbeat is read in full.
        const details = await Promise.all(list.tasks.map((t) => read('tasks.get', { id: t.id })))
        const stuck = details
          .map((d) => d.task)
          .filter((t) => t.heartbeatAt !== null && now - Date.parse(t.heartbeatAt) > limitMs)
        const evidence = `${list.tasks.length} in progress, ${stuck.length} without a heartbeat for over ${deps.stuckMinutes()} min`
        return {
          status: stuck.length > 0 ? 'fail' : 'pass',
          evidence:
            stuck.length > 0
              ? `${evidence}: ${stuck
                  .slice(0, 3)
                  .map((t) => t.id)
                  .join(', ')}`
              : evidence
        }
      }
    },
    {
      id: 'worker.manual-review',
      title: 'Manual-review queue',
      area: 'worker',
      severity: 'soft',
      measures: 'Tasks waiting in manual review (deferred_to_human) and the error types that sent them there.',
      remedy: 'Open Tasks → Manual review; fix the cause named by the error type, then Return to autoprocessing.',
      fix: 'return-deferred',
      async run() {
        const counters = await read('tasks.counters', {})
        const waiting = counters.byStatus.deferred_to_human ?? 0
        const types = Object.entries(counters.deferredByErrorType)
          .filter(([, n]) => (n ?? 0) > 0)
          .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
          .slice(0, 3)
          .map(([type, n]) => `${type} ${n}`)
        return {
          status: waiting > 0 ? 'warn' : 'pass',
          evidence: `${waiting} waiting${types.length > 0 ? `; top error types: ${types.join(', ')}` : ''}`
        }
      }
    },
    {
      id: 'chat.fallback-ratio',
      title: 'Fallback ratio under its threshold',
      area: 'chat',
      severity: 'soft',
      measures:
        'Chat answers of the last 24 h that needed a fallback model, against chat’s threshold (30% by default).',
      remedy: 'Check that the preferred models for each category are pulled and their node is up (Models view).',
      fix: null,
      async run() {
        const { counters } = await read('chat.usage', { days: 1 })
        if (counters.fallbackRatio24h === null) return { status: 'pass', evidence: 'no chat answers in the last 24 h' }
        const pct = (v: number): string => `${(v * 100).toFixed(0)}%`
        // Worded as the Overview's digest counts them ("0% of 3"), so the two read alike.
        const answers = `${counters.answers24h} chat answer${counters.answers24h === 1 ? '' : 's'}`
        return {
          status: counters.fallbackRatio24h > counters.threshold ? 'warn' : 'pass',
          evidence: `${pct(counters.fallbackRatio24h)} of ${answers} in the last 24 h fell back to another model (threshold ${pct(counters.threshold)})`
        }
      }
    }
  ]
}
