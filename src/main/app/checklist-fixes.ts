import type { KosClient } from '../../shared/contract/client'
import type { CallInput, CallName, CallOutput } from '../../shared/contract/contract'
import type { ProcessStatus } from '../../shared/contract/models-contract'
import type { FixId } from '../checklist/check-definition'
import type { Fixes } from '../checklist/checklist-service'
import type { ConfigService } from '../config/config-service'
import { refuse, Refusal } from '../rpc/refusal'
import { SETTINGS } from '../config/setting-definitions'

/**
 * The checklist's one-click fixes, each one contract call a person could
 * make by hand in the app, so a fix is validated and logged like a click.
 */
export function checklistFixes(client: KosClient, config: ConfigService): Fixes {
  // A fix the core refuses is refused to its caller with the core's own words (and code), not as a fault of the checklist.
  const call = async <N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N> | Refusal> => {
    const result = await client.call(name, input)
    return result.ok ? result.value : new Refusal(result.error)
  }
  return {
    'restart-ollama': async () => {
      const status = await call('supervisor.restart', { id: 'ollama' })
      if (status instanceof Refusal) return status
      if (!['running', 'starting', 'adopted', 'restarting'].includes(status.state))
        return refuse(
          'unavailable',
          `Ollama did not start (${status.state}): ${sentence(status.reason ?? 'no reason given')}`
        )
      return `Ollama restarted: ${status.state}${status.pid ? ` (pid ${status.pid})` : ''}.`
    },
    'lower-concurrency': async () => {
      const before = config.get('worker.maxConcurrency')
      const after = Math.max(1, Math.floor(before / 2))
      if (after === before) return `worker.maxConcurrency is already ${before}, the lowest it can be.`
      const set = await call('config.set', { key: 'worker.maxConcurrency', value: after })
      if (set instanceof Refusal) return set
      return `worker.maxConcurrency lowered from ${before} to ${after} (saved in your settings file; raise it again in Settings).`
    },
    'return-deferred': async () => {
      const done = await call('tasks.requeue', { all: true })
      if (done instanceof Refusal) return done
      const { requeued } = done
      return `${requeued.length} task${requeued.length === 1 ? '' : 's'} returned to autoprocessing.`
    },
    'raise-timeout': async () => {
      const before = config.get('llm.requestTimeoutSec')
      const type = SETTINGS['llm.requestTimeoutSec'].type
      const max = type.kind === 'integer' ? type.max : before
      const after = Math.min(max, before * 2)
      if (after === before) return `llm.requestTimeoutSec is already ${before} s, the most it can be.`
      const set = await call('config.set', { key: 'llm.requestTimeoutSec', value: after })
      if (set instanceof Refusal) return set
      return `llm.requestTimeoutSec raised from ${before} s to ${after} s (saved in your settings file; the router and the worker both wait that long).`
    },
    'rebuild-search-index': async () => {
      const rebuilt = await call('knowledge.rebuildIndex', {})
      if (rebuilt instanceof Refusal) return rebuilt
      return `The full-text index was rebuilt from ${rebuilt.chunks} stored chunk${rebuilt.chunks === 1 ? '' : 's'}; the database as it was is in ${rebuilt.backup}.`
    },
    're-embed': async () => {
      const started = await call('knowledge.reembed', {})
      if (started instanceof Refusal) return started
      return 'Re-embedding started; vector search resumes when it finishes (progress in the Knowledge view).'
    }
  }
}

/** Ends a clause from elsewhere (a supervisor's reason) with exactly one full stop. */
export function sentence(text: string): string {
  return `${text.trim().replace(/[.\s]+$/, '')}.`
}

/**
 * Why a fix cannot work on this host now, as the step a person takes
 * instead; null when it can. Only the app's own Ollama child can be
 * restarted: with supervision off or adopt, an Ollama started elsewhere, or
 * no ollama binary, "restart Ollama" would only fail after the click.
 */
export function checklistFixBlocked(ollama: () => ProcessStatus | undefined): (id: FixId) => string | null {
  return (id) => {
    if (id !== 'restart-ollama') return null
    const status = ollama()
    const byHand = 'Restart Ollama yourself, then Return to autoprocessing.'
    if (!status || status.mode === 'off')
      return `The app does not run Ollama here (“Run Ollama for me” is off in Settings). ${byHand}`
    if (status.mode === 'adopt' || status.state === 'adopted')
      return `The app only watches an Ollama started elsewhere, so it cannot restart it. ${byHand}`
    if (!status.installed || status.state === 'not_installed')
      return `The app found no ollama to start (looked for “${status.command}”). ${byHand}`
    return null
  }
}
