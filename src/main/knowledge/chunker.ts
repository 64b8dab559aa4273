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

const PIECE = /[a-zA-Z]+|\p{L}+|\p{N}+|[^\s\p{L}\p{N}]/gu
const BLANK_LINE_AHEAD = /^[^\S\n]*\r?\n[^\S\n]*\r?\n/

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
    const word = match[0]
    const paragraphEnd = BLANK_LINE_AHEAD.test(text.slice(start + word.length, start + word.length + 64))
    const tokens = tokensOfPiece(word)
    if (tokens <= maxTokens) {
      pieces.push({ start, end: start + word.length, tokens, paragraphEnd })
      continue
    }
    pieces.push(...splitLongWord(word, start, maxTokens, paragraphEnd))
  }
  return pieces
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
    pieces.push({ start: at, end: at + part.length, tokens: Math.min(maxTokens, tokensOfPiece(part)), paragraphEnd: isLast && paragraphEnd })
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
