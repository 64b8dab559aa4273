import type { SearchHit } from './hybrid-search'
import { safeSlice } from './snippet'
import { estimateTokens } from './token-estimate'

export interface RagOptions {
  readonly budgetTokens: number
  readonly snippetChars: number
  readonly top1FullMaxChars: number
}

export interface RagSource {
  readonly nodeId: string
  readonly title: string
  readonly source: string | null
  /** The whole document was quoted, not an excerpt. */
  readonly full: boolean
  readonly chars: number
}

export interface AssembledContext {
  readonly text: string
  readonly tokens: number
  readonly sources: RagSource[]
}

/** Smallest excerpt worth quoting when the budget is nearly spent. */
const MIN_EXCERPT_TOKENS = 24
/**
 * A hit found by its words alone whose BM25 score is below this share of
 * the best one matched only what every note holds: FTS5 scores a word found
 * in most documents at 1e-6, and the pancake recipe was cited for "and" next
 * to the backups note at about 1. A hit the vector side found (above
 * knowledge.minSimilarity) is kept whatever its words scored.
 */
export const MIN_RELATIVE_BM25 = 0.1

/** The hits worth showing the model and citing: see MIN_RELATIVE_BM25. */
export function relevantHits(hits: readonly SearchHit[]): SearchHit[] {
  const best = Math.max(0, ...hits.map((h) => h.lexical?.bm25 ?? 0))
  return hits.filter((h) => h.vector !== null || (h.lexical !== null && h.lexical.bm25 >= best * MIN_RELATIVE_BM25))
}

/**
 * The knowledge put in front of the model: the best hit in full when it is
 * short enough (the answer is often the whole note), the others as
 * excerpts of their best chunk, each headed by its number and title so the
 * model can cite it, until the token budget is spent. Hits that matched
 * only common words are left out (relevantHits).
 */
export function assembleContext(
  hits: readonly SearchHit[],
  contentOf: (nodeId: string) => string | null,
  options: RagOptions
): AssembledContext {
  const blocks: string[] = []
  const sources: RagSource[] = []
  let tokens = 0
  for (const [index, hit] of relevantHits(hits).entries()) {
    const full = index === 0 && hit.node.chars <= options.top1FullMaxChars ? contentOf(hit.node.id) : null
    const body = full ?? excerpt(hit.chunkText, options.snippetChars)
    const head = `[${blocks.length + 1}] ${hit.node.title}${hit.node.source ? ` (${hit.node.source})` : ''}\n`
    const separator = blocks.length ? 2 : 0
    const remaining = options.budgetTokens - tokens - separator - estimateTokens(head)
    if (remaining < MIN_EXCERPT_TOKENS) break
    const fitted = fitTokens(body, remaining)
    if (fitted === '') break
    blocks.push(head + fitted)
    tokens += separator + estimateTokens(head) + estimateTokens(fitted)
    sources.push({
      nodeId: hit.node.id,
      title: hit.node.title,
      source: hit.node.source,
      full: full !== null && fitted === full,
      chars: fitted.length
    })
  }
  return { text: blocks.join('\n\n'), tokens, sources }
}

function excerpt(text: string, maxChars: number): string {
  const flat = text.trim()
  if (flat.length <= maxChars) return flat
  const cut = safeSlice(flat, 0, maxChars)
  const space = cut.lastIndexOf(' ')
  return `${space > maxChars / 2 ? cut.slice(0, space) : cut}…`
}

/** The longest prefix of text (ending at a word) within a token budget. */
function fitTokens(text: string, budget: number): string {
  if (estimateTokens(text) <= budget) return text
  let low = 0
  let high = text.length
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (estimateTokens(safeSlice(text, 0, mid)) + 1 <= budget) low = mid
    else high = mid - 1
  }
  const cut = safeSlice(text, 0, low)
  const space = cut.lastIndexOf(' ')
  const trimmed = space > low / 2 ? cut.slice(0, space) : cut
  return trimmed.trim() === '' ? '' : `${trimmed}…`
}
