import { hamming, nearestPositions } from '../src/main/knowledge/sign-bits'
import { createScanArena } from '../src/main/knowledge/sign-scan'

/**
 * The sign stage as it was before `bench:kb-sign` (commit 5429530): one pass
 * over every code's first `prefixWords` words storing each distance and
 * counting it into a histogram, a second picking the shortlist, then the whole
 * codes of the shortlist counted in JavaScript. Those two passes are still the
 * module's `scan` and `pick` (its text is unchanged), which a scan arena runs
 * over whole codes: here an arena whose codes are the prefixes. Kept to time
 * beside the stage that replaced it, on the same codes, in the same run.
 */
export function stageBefore(
  codes: Uint32Array,
  count: number,
  words: number,
  prefixWords: number
): (query: Uint32Array, shortlist: number, keep: number) => number[] {
  const prefixes = createScanArena(count, prefixWords)
  for (let slot = 0; slot < count; slot++) prefixes.write(slot, codes, slot * words)
  let distances = new Uint16Array(0)
  return (query, shortlistSize, keep) => {
    const shortlist = prefixes.nearest(query, count, shortlistSize)
    if (distances.length < shortlist.length) distances = new Uint16Array(shortlist.length)
    shortlist.forEach((slot, i) => (distances[i] = hamming(codes, slot * words, query, words)))
    return nearestPositions(distances, shortlist.length, keep, words * 32).map((i) => shortlist[i]!)
  }
}
