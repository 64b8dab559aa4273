import { randomUUID } from 'node:crypto'
import type { PullProgress } from '../../shared/contract/models-contract'
import type { NodeRegistry } from './node-registry'
import { toProviderError } from './provider-error'

export type StartPull =
  | { readonly ok: true; readonly progress: PullProgress }
  | { readonly ok: false; readonly code: 'not_found' | 'conflict'; readonly message: string }

export interface PullManager {
  start(node: string, model: string): StartPull
  stop(): void
}

const EMIT_EVERY_MS = 100

/** Model pulls in the background, reporting progress as events (at most every 100 ms, and every status change). */
export function createPullManager(deps: {
  registry: NodeRegistry
  emit: (progress: PullProgress) => void
}): PullManager {
  const running = new Map<string, AbortController>()
  return {
    start(nodeId, model) {
      const node = deps.registry.node(nodeId)
      const provider = deps.registry.provider(nodeId)
      if (!node || !provider) return { ok: false, code: 'not_found', message: `There is no node "${nodeId}".` }
      if (!provider.pull)
        return {
          ok: false,
          code: 'conflict',
          message: `${node.label} is ${node.kind === 'openai' ? 'an OpenAI-compatible server' : 'the embedded engine'}, which cannot pull models; pull onto an Ollama node.`
        }
      const key = `${nodeId}\u0000${model}`
      if (running.has(key))
        return { ok: false, code: 'conflict', message: `${model} is already being pulled onto ${node.label}.` }
      const controller = new AbortController()
      running.set(key, controller)
      const pullId = randomUUID()
      const base = { pullId, node: nodeId, model }
      const first: PullProgress = {
        ...base,
        status: 'starting',
        completed: null,
        total: null,
        state: 'running',
        error: null
      }
      let lastEmit = 0
      let lastStatus = ''
      const pull = provider.pull.bind(provider)
      void (async () => {
        try {
          await pull(model, controller.signal, (p) => {
            const now = Date.now()
            if (p.status === lastStatus && now - lastEmit < EMIT_EVERY_MS && p.completed !== p.total) return
            lastEmit = now
            lastStatus = p.status
            deps.emit({
              ...base,
              status: p.status,
              completed: p.completed,
              total: p.total,
              state: 'running',
              error: null
            })
          })
          deps.emit({ ...base, status: 'success', completed: null, total: null, state: 'done', error: null })
          void deps.registry.scan([nodeId])
        } catch (error) {
          const e = toProviderError(error, controller.signal, node.label)
          deps.emit({ ...base, status: 'failed', completed: null, total: null, state: 'failed', error: e.message })
        } finally {
          running.delete(key)
        }
      })()
      return { ok: true, progress: first }
    },
    stop() {
      for (const c of running.values()) c.abort()
      running.clear()
    }
  }
}
