import { newStemmer } from 'snowball-stemmers'

/**
 * Russian words reduced to their Snowball stems (Porter's Russian stemmer,
 * the one Lucene and PostgreSQL use), so "база", "базы" and "базой" meet as
 * "баз" while "базар" stays "базар". FTS5's porter tokenizer stems English
 * only and passes Cyrillic through, so Russian stems are computed here, the
 * same way for the text indexed and for the query.
 */
const russian = newStemmer('russian')

/** ё is folded to е first, as the index's remove_diacritics does, so both spellings share a stem. */
export function russianStem(word: string): string {
  return russian.stem(word.toLowerCase().replaceAll('ё', 'е'))
}

const CYRILLIC_WORD = /\p{Script=Cyrillic}+/gu

export const isCyrillic = (word: string): boolean => /^\p{Script=Cyrillic}+$/u.test(word)

/** The Russian stems of a text, space-separated, in order: what the index holds beside the text itself. */
export function russianStems(text: string): string {
  return (text.match(CYRILLIC_WORD) ?? []).map(russianStem).join(' ')
}
