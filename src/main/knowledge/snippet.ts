/** A piece of a snippet; `hit` pieces are where the query's words were found. */
export interface SnippetPart {
  readonly text: string
  readonly hit: boolean
}

/**
 * A window of the text around the first place a query word starts a word,
 * with every such word marked. Structured rather than HTML so no view has
 * to trust markup built from a document.
 */
export function makeSnippet(text: string, highlight: readonly string[], maxChars: number): SnippetPart[] {
  const flat = text.replace(/\s+/g, ' ').trim()
  const pattern = highlight.length
    ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${highlight.map(escapeRegExp).join('|')})[\\p{L}\\p{N}]*`, 'giu')
    : null
  const first = pattern ? flat.search(pattern) : -1
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
  const parts: SnippetPart[] = []
  if (start > 0) parts.push({ text: '…', hit: false })
  let at = 0
  if (pattern) {
    for (const match of window.matchAll(pattern)) {
      if (match.index > at) parts.push({ text: window.slice(at, match.index), hit: false })
      parts.push({ text: match[0], hit: true })
      at = match.index + match[0].length
    }
  }
  if (at < window.length) parts.push({ text: window.slice(at), hit: false })
  if (end < flat.length) parts.push({ text: '…', hit: false })
  return parts
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
