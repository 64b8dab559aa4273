import type { ConfigService } from '../config/config-service'
import type { Embedder, EmbedderState } from '../ports/embedder'
import { sameModel } from './candidates'
import type { NodeRegistry } from './node-registry'
import { toProviderError } from './provider-error'
import { timeoutMs } from './request-kinds'

export const DEFAULT_EMBEDDING_MODEL = 'nomic-embed-text'

/**
 * Vectors for the knowledge base from whichever reachable node has the
 * embedding model (the "embedding" preference, nomic-embed-text by default).
 * The dimension is learned from the first answer and every later answer must
 * match it, so a collection never mixes vector sizes.
 */
export function createRouterEmbedder(deps: {
  registry: NodeRegistry
  config: Pick<ConfigService, 'get'>
  preferences: () => ReadonlyMap<string, string>
}): Embedder {
  const { registry, config } = deps
  const dimensions = new Map<string, number>()
  const wanted = (): string => deps.preferences().get('embedding') ?? DEFAULT_EMBEDDING_MODEL

  function hosts(): { node: string; kind: string; model: string }[] {
    const name = wanted()
    return registry.nodes().flatMap((node) => {
      const status = registry.status(node.id)
      if (status.state !== 'up') return []
      const model = status.models.find((m) => sameModel(name, m.name))
      return model ? [{ node: node.id, kind: node.kind, model: model.name }] : []
    })
  }

  async function embedOn(
    host: { node: string; model: string },
    texts: readonly string[],
    signal?: AbortSignal
  ): Promise<Float32Array[]> {
    const provider = registry.provider(host.node)
    if (!provider) throw new Error(`the node ${host.node} is no longer configured`)
    const timeout = AbortSignal.timeout(timeoutMs('embed', config))
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout
    let vectors: number[][]
    try {
      vectors = await provider.embed(host.model, texts, combined)
    } catch (error) {
      throw toProviderError(error, combined, `${host.model} on ${host.node}`)
    }
    if (vectors.length !== texts.length)
      throw new Error(`${host.model} on ${host.node} returned ${vectors.length} vectors for ${texts.length} texts`)
    const key = host.model.replace(/:latest$/, '')
    const dim = dimensions.get(key) ?? vectors[0]?.length
    if (vectors.some((v) => v.length !== dim))
      throw new Error(`${host.model} on ${host.node} returned vectors of mixed dimension (expected ${dim})`)
    if (dim !== undefined) dimensions.set(key, dim)
    return vectors.map((v) => Float32Array.from(v))
  }

  return {
    async state(): Promise<EmbedderState> {
      await registry.refreshStale()
      const [host] = hosts()
      if (!host) {
        return {
          available: false,
          reason: `No reachable node has the embedding model ${wanted()}. Pull it in the Models view (or run \`ollama pull ${wanted()}\`).`
        }
      }
      const key = host.model.replace(/:latest$/, '')
      if (!dimensions.has(key)) await embedOn(host, ['dimension probe'])
      return { available: true, model: { id: `${host.kind}:${key}`, dimension: dimensions.get(key) ?? 0 } }
    },
    async embed(texts, signal) {
      if (texts.length === 0) return []
      await registry.refreshStale()
      const candidates = hosts()
      if (candidates.length === 0)
        throw new Error(`No reachable node has the embedding model ${wanted()}. Pull it in the Models view.`)
      let last: unknown = null
      for (const host of candidates) {
        try {
          return await embedOn(host, texts, signal)
        } catch (error) {
          if (signal?.aborted) throw error
          last = error
        }
      }
      throw last instanceof Error ? last : new Error(String(last))
    }
  }
}
