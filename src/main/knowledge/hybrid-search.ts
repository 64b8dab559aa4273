import { buildFtsQuery, type RussianMorphology } from './fts-query'
import type { KnowledgeStore, NodeFilter, NodeSummary } from './knowledge-store'
import { convexFusion } from './convex-fusion'
import { searchLexical } from './lexical-plan'
import { markdownToPlain } from './markdown-plain'
import { reciprocalRankFusion, type Fused } from './rrf'
import { makeSnippet, type SnippetPart } from './snippet'
import type { Collection, VectorIndex } from './vector-index'

/** How the two rankings are merged; the default is the one that ranked the labelled set of bench/kb.ts better. */
export type Fusion = 'rrf' | 'convex'
export const DEFAULT_FUSION: Fusion = 'rrf'
/** Russian words are looked up by their Snowball stems: on the labelled set it found what the prefix lookup missed ("базой" → "базы") and none of its decoys ("базар"). */
export const DEFAULT_MORPHOLOGY: RussianMorphology = 'snowball'

export interface SearchRequest extends NodeFilter {
  readonly query: string
  readonly fusion?: Fusion
  readonly morphology?: RussianMorphology
  readonly topK: number
  /** Vector hits below this cosine similarity are dropped. */
  readonly minSimilarity: number
  readonly snippetChars?: number
}

/** The vector side of one search: a query vector for the active collection, or why there is none. */
export type VectorSide =
  | { readonly kind: 'on'; readonly collection: Collection; readonly vector: Float32Array }
  | { readonly kind: 'off'; readonly reason: string }

export interface SearchHit {
  readonly node: NodeSummary
  /** The chunk the snippet comes from: the best lexical one, else the best by meaning. */
  readonly chunkId: number
  readonly chunkOrdinal: number
  readonly chunkText: string
  readonly score: number
  readonly lexical: { readonly rank: number; readonly bm25: number } | null
  readonly vector: { readonly rank: number; readonly similarity: number } | null
  readonly snippet: SnippetPart[]
}

export interface SearchResult {
  readonly mode: 'hybrid' | 'lexical'
  /** Why the search was lexical only; null for hybrid. */
  readonly lexicalReason: string | null
  readonly hits: SearchHit[]
}

/**
 * Full text (FTS5 BM25) and meaning (vector KNN) each rank documents by
 * their best chunk, and one fusion (reciprocal ranks, or a convex
 * combination of normalised scores) merges the two. Each side fetches a
 * deeper pool than top_k so fusion has something to weigh; a filtered
 * vector search fetches deeper still, because the domain and source filter
 * is applied to the nearest chunks after they are found.
 */
export function hybridSearch(
  store: KnowledgeStore,
  index: VectorIndex | null,
  request: SearchRequest,
  side: VectorSide
): SearchResult {
  const topK = Math.max(1, Math.floor(request.topK))
  const pool = Math.max(50, topK * 10)
  // The vector side is deeper than top_k but shallower than the lexical one: each of its candidates costs an exact rescore.
  const vectorPool = Math.max(30, topK * 3)
  const filter: NodeFilter = { domain: request.domain, source: request.source }
  const fts = buildFtsQuery(request.query, request.morphology ?? DEFAULT_MORPHOLOGY)

  const lexical = searchLexical(store, fts, pool, filter)
  const lexicalByNode = firstPerNode(lexical.map((h) => ({ nodeId: h.nodeId, chunkId: h.chunkId, score: h.bm25 })))

  let vectorByNode: Map<string, { chunkId: number; score: number; rank: number }> = new Map()
  if (side.kind === 'on' && index) {
    const filtered = request.domain !== undefined || request.source !== undefined
    const near = index
      .nearest(side.collection, side.vector, filtered ? 500 : vectorPool)
      .filter((h) => h.similarity >= request.minSimilarity)
    // Only the node of each chunk: a node's summary (its whole content's length) is read for the fused top k alone.
    const chunkNode = store.chunkNodes(
      near.map((h) => h.chunkId),
      filter
    )
    vectorByNode = firstPerNode(
      near.flatMap((h) => {
        const nodeId = chunkNode.get(h.chunkId)
        return nodeId === undefined ? [] : [{ nodeId, chunkId: h.chunkId, score: h.similarity }]
      })
    )
  }

  const fused = fuse(request.fusion ?? DEFAULT_FUSION, lexicalByNode, vectorByNode).slice(0, topK)
  const nodes = store.summaries(fused.map((f) => f.key))
  const snippetChunks = new Map(
    store.chunks(fused.map((f) => (lexicalByNode.get(f.key) ?? vectorByNode.get(f.key))!.chunkId)).map((c) => [c.id, c])
  )
  const hits = fused.flatMap((f): SearchHit[] => {
    const node = nodes.get(f.key)
    const lex = lexicalByNode.get(f.key)
    const vec = vectorByNode.get(f.key)
    const chunk = snippetChunks.get((lex ?? vec)!.chunkId)
    if (!node || !chunk) return []
    return [
      {
        node,
        chunkId: chunk.id,
        chunkOrdinal: chunk.ordinal,
        chunkText: chunk.text,
        score: f.score,
        lexical: lex ? { rank: lex.rank, bm25: lex.score } : null,
        vector: vec ? { rank: vec.rank, similarity: vec.score } : null,
        snippet: makeSnippet(markdownToPlain(chunk.text), fts.highlight, request.snippetChars ?? 240)
      }
    ]
  })
  return side.kind === 'on'
    ? { mode: 'hybrid', lexicalReason: null, hits }
    : { mode: 'lexical', lexicalReason: side.reason, hits }
}

function fuse(
  fusion: Fusion,
  lexical: ReadonlyMap<string, { score: number }>,
  vector: ReadonlyMap<string, { score: number }>
): Fused<string>[] {
  if (fusion === 'rrf') return reciprocalRankFusion([[...lexical.keys()], [...vector.keys()]])
  const scored = (side: ReadonlyMap<string, { score: number }>): { key: string; score: number }[] =>
    [...side].map(([key, { score }]) => ({ key, score }))
  return convexFusion(scored(lexical), scored(vector))
}

function firstPerNode(
  ranked: readonly { nodeId: string; chunkId: number; score: number }[]
): Map<string, { chunkId: number; score: number; rank: number }> {
  const byNode = new Map<string, { chunkId: number; score: number; rank: number }>()
  for (const hit of ranked) {
    if (!byNode.has(hit.nodeId))
      byNode.set(hit.nodeId, { chunkId: hit.chunkId, score: hit.score, rank: byNode.size + 1 })
  }
  return byNode
}
