import { RpcFailure, rpcError } from '../../shared/contract/rpc-error'
import type { Fixes } from '../checklist/checklist-service'
import type { ConfigService } from '../config/config-service'
import { SETTINGS } from '../config/setting-definitions'
import type { ReadCall } from '../rpc/read-call'

/**
 * The checklist's one-click fixes, each one contract call a person could
 * make by hand in the app, so a fix is validated and logged like a click.
 */
export function checklistFixes(call: ReadCall, config: ConfigService): Fixes {
  const must = async (name: Parameters<ReadCall>[0], input: unknown): Promise<unknown> => {
    const result = await call(name, input)
    // The refusal keeps its own code (a fix that cannot run here is `unavailable`, not a failure inside the app).
    if (!result.ok) throw new RpcFailure({ code: result.error.code, message: result.error.message })
    return result.value
  }
  return {
    'restart-ollama': async () => {
      const status = (await must('supervisor.restart', { id: 'ollama' })) as { state: string; pid: number | null; reason: string | null }
      if (!['running', 'starting', 'adopted', 'restarting'].includes(status.state)) {
        throw new RpcFailure(rpcError('unavailable', `Ollama did not start (${status.state}): ${status.reason ?? 'no reason given'}`))
      }
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
      const { requeued } = (await must('tasks.requeue', { all: true })) as { requeued: string[] }
      return `${requeued.length} task${requeued.length === 1 ? '' : 's'} returned to autoprocessing.`
    },
    'raise-timeout': async () => {
      const before = config.get('llm.requestTimeoutSec')
      const type = SETTINGS['llm.requestTimeoutSec'].type
      const max = type.kind === 'integer' ? type.max : before
      const after = Math.min(max, before * 2)
      if (after === before) return `llm.requestTimeoutSec is already ${before} s, the most it can be.`
      await must('config.set', { key: 'llm.requestTimeoutSec', value: after })
      return `llm.requestTimeoutSec raised from ${before} s to ${after} s (saved in your settings file; the router and the worker both wait that long).`
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
