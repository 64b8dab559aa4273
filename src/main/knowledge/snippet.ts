/** A piece of a snippet; `hit` pieces are where the query's words were found. */
export interface SnippetPart {
  readonly text: string
  readonly hit: boolean
}

/**
 * A window of the text around the first place a query word starts a word,
 * with every such word marked. Structured rather than HTML so no view has
 * to trust markup built from a document.
 *
 * Words are found by one regular expression compiled once: a pattern built
 * from each query's words with Unicode letter classes cost ~4 ms to compile
 * on this machine, a fifth of a hybrid search (bench/kb.ts profile).
 */
export function makeSnippet(text: string, highlight: readonly string[], maxChars: number): SnippetPart[] {
  const flat = text.replace(/\s+/g, ' ').trim()
  const marked = highlight.length ? markedWords(flat, highlight) : []
  const first = marked[0]?.start ?? -1
  let start = first < 0 ? 0 : Math.max(0, first - Math.floor(maxChars / 3))
  if (start > 0) {
    const space = flat.indexOf(' ', start)
    start = space >= 0 && space < first ? space + 1 : start
  }
  let end = Math.min(flat.length, start + maxChars)
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end)
    end = space > start ? space : end
  }
  const window = safeSlice(flat, start, end)
  const offset = flat.indexOf(window, start)
  const parts: SnippetPart[] = []
  if (start > 0) parts.push({ text: '…', hit: false })
  let at = 0
  for (const word of marked) {
    const from = word.start - offset
    const to = Math.min(window.length, word.end - offset)
    if (from < at || from >= window.length) continue
    if (from > at) parts.push({ text: window.slice(at, from), hit: false })
    parts.push({ text: window.slice(from, to), hit: true })
    at = to
  }
  if (at < window.length) parts.push({ text: window.slice(at), hit: false })
  if (end < flat.length) parts.push({ text: '…', hit: false })
  return parts
}

const WORD = /[\p{L}\p{N}]+/gu

/** Words of `text` that start with one of `highlight` (lower case), ignoring case, in order. */
function markedWords(text: string, highlight: readonly string[]): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = []
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLowerCase()
    if (highlight.some((h) => word.startsWith(h)))
      found.push({ start: match.index, end: match.index + match[0].length })
  }
  return found
}

/** Slices by UTF-16 offsets without leaving half a surrogate pair at either end. */
export function safeSlice(text: string, start: number, end: number): string {
  const from = isLowSurrogate(text.charCodeAt(start)) ? start + 1 : start
  const to = isLowSurrogate(text.charCodeAt(end)) ? end - 1 : end
  return text.slice(from, Math.max(from, to))
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
