import type { ChunkNodes } from './chunk-nodes'
import { buildFtsQuery, type RussianMorphology } from './fts-query'
import type { KnowledgeStore, NodeFilter, NodeSummary } from './knowledge-store'
import { convexFusion } from './convex-fusion'
import type { LexicalSearcher } from './lexical-searcher'
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

/** What a search reads: the store, the vector index, each chunk's node in memory, and the lexical half (maybe on its worker). */
export interface SearchSources {
  readonly store: KnowledgeStore
  readonly index: VectorIndex | null
  readonly chunkNodes: ChunkNodes
  readonly lexical: LexicalSearcher
  /** From how many chunks the lexical half goes to its worker (LEXICAL_WORKER_FROM in the app). */
  readonly workerFrom: number
}

/**
 * Full text (FTS5 BM25) and meaning (vector KNN) each rank documents by
 * their best chunk, and one fusion (reciprocal ranks, or a convex
 * combination of normalised scores) merges the two. Each side fetches a
 * deeper pool than top_k so fusion has something to weigh; a filtered
 * vector search fetches deeper still, because the domain and source filter
 * is applied to the nearest chunks after they are found.
 *
 * The lexical half is asked first and awaited after the vector half: on
 * its worker it waits on the disk while this thread scans the sign codes.
 * Unfiltered, neither half reads a chunk row for its node (chunk-nodes.ts).
 */
export async function hybridSearch(
  sources: SearchSources,
  request: SearchRequest,
  side: VectorSide
): Promise<SearchResult> {
  const { store, index, chunkNodes } = sources
  const topK = Math.max(1, Math.floor(request.topK))
  const pool = Math.max(50, topK * 10)
  // The vector side is deeper than top_k but shallower than the lexical one: each of its candidates costs an exact rescore.
  const vectorPool = Math.max(30, topK * 3)
  const filter: NodeFilter = { domain: request.domain, source: request.source }
  const fts = buildFtsQuery(request.query, request.morphology ?? DEFAULT_MORPHOLOGY)

  const filtered = request.domain !== undefined || request.source !== undefined
  const overlap = side.kind === 'on' && index !== null && chunkNodes.count >= sources.workerFrom
  const lexicalHalf = sources.lexical.search(fts, pool, filter, overlap)

  let near: { chunkId: number; similarity: number }[] = []
  if (side.kind === 'on' && index)
    near = index
      .nearest(side.collection, side.vector, filtered ? 500 : vectorPool)
      .filter((h) => h.similarity >= request.minSimilarity)
  const lexical = await lexicalHalf

  // Each chunk's node: from memory unfiltered; filtered, the lexical hits come with theirs and the vector side's are
  // read with the filter applied to their nodes (a node's summary is read for the fused top k alone).
  const known = chunkNodes.nodesOf([
    ...lexical.flatMap((h) => (h.nodeId === null ? [h.chunkId] : [])),
    ...(filtered ? [] : near.map((h) => h.chunkId))
  ])
  const vectorNodes = filtered
    ? store.chunkNodes(
        near.map((h) => h.chunkId),
        filter
      )
    : known
  const lexicalByNode = firstPerNode(
    lexical.flatMap((h) => {
      const nodeId = h.nodeId ?? known.get(h.chunkId)
      return nodeId === undefined ? [] : [{ nodeId, chunkId: h.chunkId, score: h.bm25 }]
    })
  )
  const vectorByNode = firstPerNode(
    near.flatMap((h) => {
      const nodeId = vectorNodes.get(h.chunkId)
      return nodeId === undefined ? [] : [{ nodeId, chunkId: h.chunkId, score: h.similarity }]
    })
  )

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
    // The chunk's row names its node again: a hit is never shown under another document.
    if (!node || !chunk || chunk.nodeId !== f.key) return []
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
