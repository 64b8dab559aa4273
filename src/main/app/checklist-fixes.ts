import type { KosClient } from '../../shared/contract/client'
import type { CallInput, CallName, CallOutput } from '../../shared/contract/contract'
import type { Fixes } from '../checklist/checklist-service'
import type { ConfigService } from '../config/config-service'

/**
 * The checklist's one-click fixes, each one contract call a person could
 * make by hand in the app, so a fix is validated and logged like a click.
 */
export function checklistFixes(client: KosClient, config: ConfigService): Fixes {
  const must = async <N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> => {
    const result = await client.call(name, input)
    if (!result.ok) throw new Error(result.error.message)
    return result.value
  }
  return {
    'restart-ollama': async () => {
      const status = await must('supervisor.restart', { id: 'ollama' })
      if (!['running', 'starting', 'adopted', 'restarting'].includes(status.state)) throw new Error(`Ollama did not start (${status.state}): ${status.reason ?? 'no reason given'}`)
      return `Ollama restarted: ${status.state}${status.pid ? ` (pid ${status.pid})` : ''}.`
    },
    'lower-concurrency': async () => {
      const before = config.get('worker.maxConcurrency')
      const after = Math.max(1, Math.floor(before / 2))
      if (after === before) return `worker.maxConcurrency is already ${before}, the lowest it can be.`
      await must('config.set', { key: 'worker.maxConcurrency', value: after })
      return `worker.maxConcurrency lowered from ${before} to ${after} (saved in your settings file; raise it again in Settings).`
    },
    'return-deferred': async () => {
      const { requeued } = await must('tasks.requeue', { all: true })
      return `${requeued.length} task${requeued.length === 1 ? '' : 's'} returned to autoprocessing.`
    },
    'rebuild-search-index': async () => {
      const rebuilt = (await must('knowledge.rebuildIndex', {})) as { chunks: number; recreated: boolean; backup: string }
      return `The full-text index was rebuilt from ${rebuilt.chunks} stored chunk${rebuilt.chunks === 1 ? '' : 's'}; the database as it was is in ${rebuilt.backup}.`
    },
    're-embed': async () => {
      await must('knowledge.reembed', {})
      return 'Re-embedding started; vector search resumes when it finishes (progress in the Knowledge view).'
    }
  }
}
