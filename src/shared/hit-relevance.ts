import type { SearchHit } from './contract/knowledge-contract'

export interface HitRelevance {
  readonly level: 'strong' | 'good' | 'related'
  /** What a person reads beside the hit. */
  readonly label: string
  /** The figures behind it, for whoever hovers to ask why. */
  readonly detail: string
}

// Cosine similarity from which a hit found only by meaning reads as close rather than related.
const CLOSE_IN_MEANING = 0.85

/**
 * How well a hit matches, in words. The fused score only orders hits and its scale depends on the
 * fusion in use (with rank fusion, 0.0164 means "first on one side"), so it is never shown bare.
 */
export function hitRelevance(hit: SearchHit): HitRelevance {
  const figures = [
    hit.lexical ? `words: #${hit.lexical.rank} (bm25 ${hit.lexical.bm25.toFixed(2)})` : 'words: not found',
    hit.vector ? `meaning: #${hit.vector.rank} (cosine ${hit.vector.similarity.toFixed(3)})` : 'meaning: not found',
    `fused score ${hit.score.toFixed(4)}`
  ].join(' · ')
  if (hit.lexical && hit.vector)
    return { level: 'strong', label: 'Strong match: your words and their meaning', detail: figures }
  if (hit.lexical) return { level: 'good', label: 'Has your words', detail: figures }
  if (hit.vector && hit.vector.similarity >= CLOSE_IN_MEANING)
    return { level: 'good', label: 'Close in meaning', detail: figures }
  return { level: 'related', label: 'Related in meaning', detail: figures }
}
