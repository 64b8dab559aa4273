import { hamming, nearestPositions } from '../src/main/knowledge/sign-bits'
import { BLOCK_SLOTS, PREFIX_KEEP_PER_HIT, PREFIX_WORDS, type SignIndex } from '../src/main/knowledge/sign-index'

/**
 * The two-stage scan the index ran before its scan moved to WebAssembly (first 256 bits of every
 * code, then the whole code of 20 per candidate, popcount by a 16-bit table), over a copy of the
 * same codes: the A/B of the sign stage, measured in the same run.
 */
export function javascriptTwoStage(index: SignIndex): (query: Uint32Array, count: number) => void {
  const words = index.words
  const prefixWords = Math.min(PREFIX_WORDS, words)
  const codes = new Uint32Array(index.size * words)
  for (let b = 0; b < index.blocks; b++) codes.set(index.block(b).codes, b * BLOCK_SLOTS * words)
  const prefix = new Uint32Array(index.size * prefixWords)
  for (let i = 0; i < index.size; i++) prefix.set(codes.subarray(i * words, i * words + prefixWords), i * prefixWords)
  const distances = new Uint16Array(index.size)
  const select = (n: number, count: number): number[] => nearestPositions(distances, n, count, words * 32)
  return (query, count) => {
    for (let i = 0, offset = 0; i < index.size; i++, offset += prefixWords)
      distances[i] = hamming(prefix, offset, query, prefixWords)
    const shortlist = select(index.size, Math.min(index.size, PREFIX_KEEP_PER_HIT * count))
    shortlist.forEach((slot, i) => (distances[i] = hamming(codes, slot * words, query, words)))
    select(shortlist.length, Math.min(shortlist.length, count))
  }
}
