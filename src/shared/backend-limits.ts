/** The settings that cap what one model node runs at once, by kind of server. */
export const BACKEND_LIMIT_KEYS = [
  'ollama.maxHeavy',
  'ollama.maxConcurrent',
  'mlx.maxHeavy',
  'mlx.maxConcurrent',
  'worker.heavyPerBackend'
] as const
export type BackendLimitKey = (typeof BACKEND_LIMIT_KEYS)[number]
export type BackendLimitValues = Readonly<Record<BackendLimitKey, number>>

/** Heavy-model calls and calls of any size one node has in flight at once (a batch of tasks answered by one call counts once); `total` null when only the pool's size bounds it. */
export interface BackendLimit {
  readonly heavy: number
  readonly total: number | null
}

/**
 * One node's caps from its kind: Ollama nodes take the ollama.* limits, MLX
 * and other OpenAI-compatible nodes the mlx.* ones (0 concurrent = no cap of
 * its own); the embedded engine and unknown backends the worker's shared heavy cap.
 */
export function limitForKind(kind: 'ollama' | 'openai' | 'embedded' | null, values: BackendLimitValues): BackendLimit {
  const total = (n: number): number | null => (n > 0 ? n : null)
  if (kind === 'ollama') return { heavy: values['ollama.maxHeavy'], total: total(values['ollama.maxConcurrent']) }
  if (kind === 'openai') return { heavy: values['mlx.maxHeavy'], total: total(values['mlx.maxConcurrent']) }
  return { heavy: values['worker.heavyPerBackend'], total: null }
}

/** A node's own caps, set in the Models view; null keeps its kind's setting. */
export interface NodeLimitOverride {
  /** Model calls at once (a batch counts once); 0 = no cap of its own. */
  readonly maxConcurrent: number | null
  readonly maxHeavy: number | null
}

/** The caps one node runs under: its own where set, else its kind's. */
export function limitForNode(
  kind: 'ollama' | 'openai' | 'embedded' | null,
  override: NodeLimitOverride | null,
  values: BackendLimitValues
): BackendLimit {
  const base = limitForKind(kind, values)
  if (!override) return base
  const total =
    override.maxConcurrent === null ? base.total : override.maxConcurrent > 0 ? override.maxConcurrent : null
  return { heavy: override.maxHeavy ?? base.heavy, total }
}
