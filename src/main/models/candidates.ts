import type { NodeLoad } from './model-stats'
import type { NodeDescriptor, NodeStatus } from './node-registry'
import type { ModelInfo } from './provider'

/** One place a request could go. */
export interface Candidate {
  readonly node: string
  readonly model: string
  readonly heavy: boolean
}

export interface Want {
  /** Models to try, most wanted first (explicit, then the category's, then the general preference). */
  readonly models: readonly string[]
  /** A node to try first when it has the model. */
  readonly node?: string | null
  /** Whether any other chat model may stand in when none of the wanted ones is available. */
  readonly anyModel: boolean
}

export interface NodeView {
  readonly node: NodeDescriptor
  readonly status: NodeStatus
}

/** "llama3.2" names "llama3.2:latest"; a tag given must match exactly. */
export function sameModel(wanted: string, actual: string): boolean {
  if (wanted === actual) return true
  if (wanted.includes(':')) return false
  return actual === `${wanted}:latest` || actual.startsWith(`${wanted}:`)
}

export function isEmbeddingModel(name: string): boolean {
  return /embed|bge-|e5-|minilm/i.test(name)
}

export function isHeavy(model: ModelInfo | undefined, name: string, heavyGb: number): boolean {
  if (model?.sizeBytes) return model.sizeBytes >= heavyGb * 1e9
  const params = /(\d+(?:\.\d+)?)b\b/i.exec(name.split('/').pop() ?? name)
  return params ? Number(params[1]) >= 14 : false
}

/**
 * Orders every node/model pair a request could use: wanted models first, in
 * order; for each, the asked-for node, then nodes that have it in memory,
 * then the least busy and fastest, nodes out of memory recently last.
 */
export function rankCandidates(
  views: readonly NodeView[],
  loads: readonly NodeLoad[],
  want: Want,
  heavyGb: number
): Candidate[] {
  const up = views.filter((v) => v.status.state === 'up')
  const loadOf = (id: string): NodeLoad | undefined => loads.find((l) => l.node === id)
  const isLoaded = (v: NodeView, model: string): boolean =>
    v.status.loaded === null || v.status.loaded.some((m) => m.name === model)
  const score = (v: NodeView, model: string): number[] => {
    const load = loadOf(v.node.id)
    return [
      v.node.id === want.node ? 0 : 1,
      load?.oomRecently ? 1 : 0,
      isLoaded(v, model) ? 0 : 1,
      load?.activeRequests ?? 0,
      v.status.latencyMs ?? 1e9
    ]
  }
  // Scored once per pair, not twice per comparison: every routed request ranks before its first token.
  const scored = (v: NodeView, m: ModelInfo): { v: NodeView; info: ModelInfo; score: number[] } => ({
    v,
    info: m,
    score: score(v, m.name)
  })
  const byScore = (a: { score: number[] }, b: { score: number[] }): number => compare(a.score, b.score)

  const out: Candidate[] = []
  const push = (v: NodeView, model: ModelInfo): void => {
    if (!out.some((c) => c.node === v.node.id && c.model === model.name))
      out.push({ node: v.node.id, model: model.name, heavy: isHeavy(model, model.name, heavyGb) })
  }
  for (const wanted of want.models) {
    const hits = up.flatMap((v) => v.status.models.filter((m) => sameModel(wanted, m.name)).map((m) => scored(v, m)))
    hits.sort(byScore)
    for (const h of hits) push(h.v, h.info)
  }
  if (want.anyModel) {
    const rest = up.flatMap((v) => v.status.models.filter((m) => !isEmbeddingModel(m.name)).map((m) => scored(v, m)))
    rest.sort((a, b) => byScore(a, b) || (a.info.sizeBytes ?? 0) - (b.info.sizeBytes ?? 0))
    for (const h of rest) push(h.v, h.info)
  }
  return out
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
