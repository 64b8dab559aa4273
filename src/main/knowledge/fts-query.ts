import { isCyrillic, russianStem } from './russian-stem'
import { isStopWord } from './stop-words'

/**
 * Turns whatever a person (or a model) typed into a safe FTS5 MATCH
 * expression. Only runs of letters and digits survive, each quoted, so
 * quotes, parentheses, `*`, `:`, `^`, `-`, AND/OR/NOT and NUL bytes are
 * never read as FTS syntax. Terms are OR-ed and BM25 ranks documents that
 * hold more of them higher.
 *
 * Russian inflects by endings ("база", "базы", "базой") and the porter
 * stemmer only knows English. Two ways to meet the endings, compared on a
 * labelled set in bench/kb.ts: `prefix` looks a Cyrillic word of four
 * letters or more up as a prefix without its last one or two letters (so
 * "база" also finds "базар"); `snowball` looks up the word's Snowball stem
 * in the `stems` column of an index that holds the stems of its text
 * (russian-stem.ts), so "базой" finds "базы" and not "базар".
 */
const MAX_TERMS = 32

export type RussianMorphology = 'prefix' | 'snowball'

export interface FtsQuery {
  /** The MATCH expression, or null when the query has no word to look for. */
  readonly match: string | null
  /** Each word's own expression (the word, and its stem or prefix), OR-ed into `match`. */
  readonly terms: readonly string[]
  /** Words and stems to highlight in snippets, lower case. */
  readonly highlight: readonly string[]
}

export function buildFtsQuery(query: string, morphology: RussianMorphology = 'prefix'): FtsQuery {
  const all = [
    ...new Set(
      (
        query
          .normalize('NFC')
          .toLowerCase()
          .match(/[\p{L}\p{N}]+/gu) ?? []
      ).slice(0, MAX_TERMS * 4)
    )
  ].slice(0, MAX_TERMS)
  // Stop words are left out when the query has a word with a topic: matched alone, they rank unrelated notes.
  const topical = all.filter((word) => !isStopWord(word))
  const words = topical.length > 0 ? topical : all
  if (words.length === 0) return { match: null, terms: [], highlight: [] }
  const parts: string[] = []
  const highlight: string[] = []
  for (const word of words) {
    if (morphology === 'snowball' && isCyrillic(word)) {
      const stem = russianStem(word)
      parts.push(`"${word}" OR stems : "${stem}"`)
      highlight.push(stem)
      continue
    }
    const stem = truncatedStem(word)
    parts.push(stem ? `"${word}" OR "${stem}"*` : `"${word}"`)
    highlight.push(stem ?? word)
  }
  return { match: parts.join(' OR '), terms: parts, highlight }
}

function truncatedStem(word: string): string | null {
  if (!isCyrillic(word)) return null
  const letters = [...word]
  if (letters.length < 4) return null
  return letters.slice(0, letters.length - (letters.length >= 6 ? 2 : 1)).join('')
}
