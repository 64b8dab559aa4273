import type { FtsQuery } from './fts-query'
import type { KnowledgeStore, LexicalHit, NodeFilter } from './knowledge-store'

/**
 * What the lexical half of a search asks FTS5 for, so that a common word
 * cannot make it slow. BM25 scores every chunk a MATCH finds before it can
 * keep the best 50, so its cost follows the matches: at a million chunks
 * a word held by 35% of them took 1.5 s, one held by 81% 3–7 s (bench/kb.ts,
 * rows "lexical, + ka"). A word matching more than COMMON_MATCHES chunks
 * says little about which to rank first (BM25 weighs it by log(N / n)), so:
 *
 * - with at least one rarer word in the query, the common words are left out
 *   of the MATCH: the chunks holding a rarer word are ranked as before, minus
 *   the small weight the common words would have added;
 * - with only common words, the chunks holding all of them are listed newest
 *   first, unranked: FTS5's BM25 counts every chunk holding each word (its
 *   rarity) before scoring any, 0.5 s for two such words at a million even
 *   within a window of rowids, and words this common barely rank anything.
 *
 * How common a word is comes from counting its matches up to the cap, so
 * the check itself costs at most COMMON_MATCHES rowids per word.
 */
export const COMMON_MATCHES = 5000

export type LexicalPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'ranked'; readonly match: string }
  | { readonly kind: 'newest'; readonly match: string }

/** Tests give a small bound. */
export interface LexicalLimits {
  readonly commonMatches: number
}
const LIMITS: LexicalLimits = { commonMatches: COMMON_MATCHES }

export function planLexical(
  fts: Pick<FtsQuery, 'terms'>,
  matchCount: (match: string, cap: number) => number,
  limits: LexicalLimits = LIMITS
): LexicalPlan {
  if (fts.terms.length === 0) return { kind: 'none' }
  const rare = fts.terms.filter((term) => matchCount(term, limits.commonMatches + 1) <= limits.commonMatches)
  if (rare.length > 0) return { kind: 'ranked', match: rare.join(' OR ') }
  return { kind: 'newest', match: fts.terms.map((term) => `(${term})`).join(' AND ') }
}

/** The lexical half of a search: planned, then run. */
export function searchLexical(
  store: Pick<KnowledgeStore, 'lexical' | 'matchCount'>,
  fts: Pick<FtsQuery, 'terms'>,
  limit: number,
  filter: NodeFilter,
  limits: LexicalLimits = LIMITS
): LexicalHit[] {
  const plan = planLexical(fts, store.matchCount, limits)
  if (plan.kind === 'none') return []
  return plan.kind === 'ranked'
    ? store.lexical(plan.match, limit, filter)
    : store.lexical(plan.match, limit, filter, 'newest')
}
