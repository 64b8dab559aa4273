/**
 * A token count close to what embedding and chat models see, without their
 * vocabularies. Subword tokenizers give an English word about one token per
 * four letters, but Cyrillic, being rarer in their training text, about one
 * per two and a half; digits split in threes; every other symbol is its own
 * token. Counting characters alone would undercount Russian by half.
 */
const PIECE = /[a-zA-Z]+|\p{L}+|\p{N}+|[^\s\p{L}\p{N}]/gu

export function estimateTokens(text: string): number {
  let tokens = 0
  for (const match of text.matchAll(PIECE)) tokens += tokensOfPiece(match[0])
  return tokens
}

export function tokensOfPiece(piece: string): number {
  const first = piece.charCodeAt(0)
  const length = [...piece].length
  if (isAsciiLetter(first)) return Math.ceil(length / 4)
  if (first >= 48 && first <= 57) return Math.ceil(length / 3)
  if (/^\p{L}/u.test(piece)) return Math.ceil(length / 2.5)
  if (/^\p{N}/u.test(piece)) return Math.ceil(length / 3)
  return length
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}
