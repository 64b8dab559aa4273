import type { EmbeddingStatus } from '../../../../shared/contract/knowledge-contract'

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** The embedder's state in one sentence a person can act on; `chunks` is how many the base holds. */
export function describeEmbedding(status: EmbeddingStatus, chunks: number): string {
  switch (status.state) {
    case 'off':
      return status.reason
    case 'waiting':
      return `Waiting for an embedding model: ${clause(status.reason)}. New documents are found by full text meanwhile.`
    case 'model_changed':
      return `The documents were embedded with ${status.active.id} (${status.active.dimension} dimensions); the model now is ${status.current.id} (${status.current.dimension}). Search is by full text until you re-embed.`
    case 'embedding':
      return `${status.rebuilding ? 'Re-embedding' : 'Embedding'} with ${status.model.id}: ${status.done} of ${status.total} chunks.`
    case 'idle':
      if (chunks === 0) return `Nothing to embed yet: documents are embedded with ${status.model.id} as they arrive.`
      return `Every chunk is embedded with ${status.model.id} (${status.model.dimension} dimensions).`
    case 'failed':
      return `${clause(status.reason)}. Trying again shortly.`
  }
}

/** A reason from the core without its closing full stop, so the sentence around it has exactly one. */
const clause = (reason: string): string => reason.trim().replace(/[.\s]+$/, '')
