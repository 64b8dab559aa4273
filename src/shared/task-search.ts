/**
 * The Tasks view's search, one definition for the core (which runs it on the
 * tasks_fts index of migration 0017) and the window (which matches the tasks
 * a pushed change adds against it). Words are split and folded as FTS5's
 * unicode61 tokenizer with remove_diacritics 2 does: letters and digits make
 * words, case and accents do not count. Every word typed must be a word of
 * the task; the last may be the start of one, as it is typed.
 */

/** More words than this are not searched for: the query stays cheap whatever is pasted. */
export const SEARCH_MAX_WORDS = 8

// unicode61 takes accents off Latin letters only (é is e, ё stays ё).
const ACCENTED_LATIN = /[\u00c0-\u024f\u1e00-\u1eff]/gu
const unaccented = (c: string): string => {
  const base = c.normalize('NFD').charAt(0)
  return /[a-z]/i.test(base) ? base : c
}

/** Case- and accent-folded words of a text, as the index holds them. */
export function searchWords(text: string): string[] {
  return text
    .normalize('NFC')
    .replace(ACCENTED_LATIN, unaccented)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
}

/** The words a search asks for; empty when it has none (only punctuation), when only an exact id can match. */
export function searchTerms(search: string): string[] {
  return searchWords(search).slice(0, SEARCH_MAX_WORDS)
}

/**
 * The FTS5 query for these terms: each a quoted phrase, so nothing typed is
 * read as an operator, the last one a prefix. Only the last: a prefix of a
 * common word makes FTS5 merge every word it starts before anything else.
 */
export function ftsQuery(terms: readonly string[]): string {
  return terms.map((t, i) => `"${t}"${i === terms.length - 1 ? '*' : ''}`).join(' ')
}

/** Whether a text matches the terms as the index does. */
export function matchesTerms(text: string, terms: readonly string[]): boolean {
  if (terms.length === 0) return false
  const words = searchWords(text)
  const last = terms.length - 1
  return terms.every((term, i) => (i === last ? words.some((w) => w.startsWith(term)) : words.includes(term)))
}

/** The fewest characters of an id a search names a task by: fewer would match tasks by chance (ids are hex). */
export const ID_PREFIX_MIN = 4

/**
 * The ids a search names, as a range [from, below) for the index on the id: those starting with it once it is
 * ID_PREFIX_MIN characters long (a pasted short id, "3f2a9c1e"), else only the id equal to it.
 */
export function idRange(search: string): readonly [from: string, below: string] {
  const s = search.trim()
  // '\uffff' sorts after every character an id holds; '\u0000' right after s itself, so the range is s alone.
  return [s, s.length >= ID_PREFIX_MIN ? `${s}\uffff` : `${s}\u0000`]
}

/** Whether a search names this task by its id, as idRange does in the index. */
export function matchesId(id: string, search: string): boolean {
  const [from, below] = idRange(search)
  return id >= from && id < below
}
