import { tokensOfPiece } from './token-estimate'

export interface Chunk {
  readonly ordinal: number
  readonly text: string
  readonly tokens: number
  /** UTF-16 offsets into the text that was chunked: text === source.slice(start, end). */
  readonly start: number
  readonly end: number
}

export interface ChunkOptions {
  readonly maxTokens: number
  readonly overlapTokens: number
}

interface Piece {
  readonly start: number
  readonly end: number
  readonly tokens: number
  /** A paragraph break (blank line) follows this piece. */
  readonly paragraphEnd: boolean
}

const PIECE = /([a-zA-Z]+)|(\p{L}+)|(\p{N}+)|[^\s\p{L}\p{N}]/gu

/**
 * Cuts text into chunks of at most maxTokens estimated tokens, each starting
 * overlapTokens before the previous one ended, so a sentence cut in two is
 * still found whole in one of them. A chunk prefers to end at a paragraph
 * break in its last quarter. A word longer than a whole chunk (a line of
 * base64, a minified file) is split by code points, never inside a surrogate
 * pair. Whitespace-only text gives no chunks.
 */
export function chunkText(text: string, options: ChunkOptions): Chunk[] {
  const maxTokens = Math.max(1, Math.floor(options.maxTokens))
  const overlap = Math.min(Math.max(0, Math.floor(options.overlapTokens)), Math.floor(maxTokens / 2))
  const pieces = piecesOf(text, maxTokens)
  const chunks: Chunk[] = []
  let first = 0
  while (first < pieces.length) {
    let last = first
    let tokens = pieces[first]!.tokens
    while (last + 1 < pieces.length && tokens + pieces[last + 1]!.tokens <= maxTokens) {
      last++
      tokens += pieces[last]!.tokens
    }
    if (last + 1 < pieces.length) {
      const breakAt = paragraphBreak(pieces, first, last, maxTokens)
      if (breakAt !== null) {
        for (let i = breakAt + 1; i <= last; i++) tokens -= pieces[i]!.tokens
        last = breakAt
      }
    }
    const start = pieces[first]!.start
    const end = pieces[last]!.end
    chunks.push({ ordinal: chunks.length, text: text.slice(start, end), tokens, start, end })
    if (last + 1 >= pieces.length) break
    first = overlapStart(pieces, first, last, Math.min(overlap, maxTokens - pieces[last + 1]!.tokens))
  }
  return chunks
}

function piecesOf(text: string, maxTokens: number): Piece[] {
  const pieces: Piece[] = []
  for (const match of text.matchAll(PIECE)) {
    const start = match.index
    const end = start + match[0].length
    // Which alternative matched decides the estimate without re-reading the word (see token-estimate.ts).
    const tokens = match[1]
      ? Math.ceil(match[1].length / 4)
      : match[2]
        ? Math.ceil(codePoints(match[2]) / 2.5)
        : match[3]
          ? Math.ceil(codePoints(match[3]) / 3)
          : 1
    const paragraphEnd = blankLineAt(text, end)
    if (tokens <= maxTokens) pieces.push({ start, end, tokens, paragraphEnd })
    else pieces.push(...splitLongWord(match[0], start, maxTokens, paragraphEnd))
  }
  return pieces
}

/** Whether a blank line (two newlines, maybe with spaces or tabs) starts at this offset. */
function blankLineAt(text: string, at: number): boolean {
  let newlines = 0
  for (let i = at; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 10) {
      if (++newlines === 2) return true
    } else if (code !== 32 && code !== 9 && code !== 13) return false
  }
  return false
}

function codePoints(text: string): number {
  let count = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xdc00 && code <= 0xdfff) count--
  }
  return count
}

/** Splits one over-long word into pieces of at most maxTokens, by code point. */
function splitLongWord(word: string, offset: number, maxTokens: number, paragraphEnd: boolean): Piece[] {
  const points = [...word]
  const perToken = points.length / tokensOfPiece(word)
  const step = Math.max(1, Math.floor(maxTokens * perToken))
  const pieces: Piece[] = []
  let at = offset
  for (let i = 0; i < points.length; i += step) {
    const part = points.slice(i, i + step).join('')
    const isLast = i + step >= points.length
    pieces.push({
      start: at,
      end: at + part.length,
      tokens: Math.min(maxTokens, tokensOfPiece(part)),
      paragraphEnd: isLast && paragraphEnd
    })
    at += part.length
  }
  return pieces
}

/** The last piece before a blank line within the chunk's last quarter, if any. */
function paragraphBreak(pieces: readonly Piece[], first: number, last: number, maxTokens: number): number | null {
  let trailing = pieces[last]!.tokens
  for (let i = last - 1; i > first && trailing <= maxTokens / 4; i--) {
    if (pieces[i]!.paragraphEnd) return i
    trailing += pieces[i]!.tokens
  }
  return null
}

/**
 * The first piece of the next chunk: as far back as the overlap allows, but
 * always past the previous start, and leaving room for the next new piece so
 * every chunk reaches further than the one before.
 */
function overlapStart(pieces: readonly Piece[], first: number, last: number, overlap: number): number {
  let next = last + 1
  let carried = 0
  while (next - 1 > first && carried + pieces[next - 1]!.tokens <= overlap) {
    next--
    carried += pieces[next]!.tokens
  }
  return next
}

/** Text longer than this is chunked a section at a time, letting the event loop run between sections. */
export const SECTION_CHARS = 200_000

/**
 * chunkText for big inputs (a 20 MB log, a book): sections of about
 * SECTION_CHARS, cut at a blank line where there is one, are chunked one by
 * one with the event loop let go in between, so calls and events keep
 * flowing. Chunks never straddle two sections; only there is the overlap lost.
 */
export async function chunkTextYielding(
  text: string,
  options: ChunkOptions,
  sectionChars: number = SECTION_CHARS
): Promise<Chunk[]> {
  if (text.length <= sectionChars) return chunkText(text, options)
  const chunks: Chunk[] = []
  let from = 0
  while (from < text.length) {
    let to = Math.min(text.length, from + sectionChars)
    if (to < text.length) {
      const blank = text.lastIndexOf('\n\n', to)
      const space = text.lastIndexOf(' ', to)
      if (blank > from + sectionChars / 2) to = blank
      else if (space > from + sectionChars / 2) to = space
      else if (text.charCodeAt(to) >= 0xdc00 && text.charCodeAt(to) <= 0xdfff) to--
    }
    for (const chunk of chunkText(text.slice(from, to), options))
      chunks.push({ ...chunk, ordinal: chunks.length, start: chunk.start + from, end: chunk.end + from })
    from = to
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return chunks
}
