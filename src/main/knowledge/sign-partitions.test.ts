import { describe, expect, it } from 'vitest'
import { hamming } from './sign-bits'
import { LISTS, partitionsFrom, trainPartitions } from './sign-partitions'

const WORDS = 4

/** Codes around `groups` random centres, each bit flipped with probability `flip`. */
function clustered(count: number, groups: number, flip: number): Uint32Array {
  let seed = 7
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296
  const centres = Array.from({ length: groups }, () => Uint32Array.from({ length: WORDS }, () => random() * 2 ** 32))
  const codes = new Uint32Array(count * WORDS)
  for (let i = 0; i < count; i++) {
    const centre = centres[i % groups]!
    for (let w = 0; w < WORDS; w++) {
      let noise = 0
      for (let b = 0; b < 32; b++) if (random() < flip) noise |= 1 << b
      codes[i * WORDS + w] = (centre[w]! ^ noise) >>> 0
    }
  }
  return codes
}

describe('sign partitions', () => {
  it('train the same centroids from the same codes, and reload from the stored words to the same lists', () => {
    const codes = clustered(2000, 50, 0.05)
    const first = trainPartitions(codes, 2000, WORDS)
    const again = trainPartitions(codes, 2000, WORDS)
    expect(again.centroids).toEqual(first.centroids)
    expect(first.centroids).toHaveLength(LISTS * WORDS)
    const reloaded = partitionsFrom(Uint32Array.from(first.centroids), WORDS)
    for (let i = 0; i < 200; i++) expect(reloaded.assign(codes, i * WORDS)).toBe(first.assign(codes, i * WORDS))
  })

  it('put a code in the list of a centroid at distance 0 from it, and rank lists nearest first', () => {
    const codes = clustered(2000, 40, 0.05)
    const partitions = trainPartitions(codes, 2000, WORDS)
    const l = 123
    const own = partitions.assign(partitions.centroids, l * WORDS)
    expect(hamming(partitions.centroids, own * WORDS, partitions.centroids.subarray(l * WORDS), WORDS)).toBe(0)
    const query = codes.subarray(0, WORDS)
    const order = new Uint16Array(LISTS)
    partitions.rank(query, order)
    expect(new Set(order).size).toBe(LISTS)
    const distances = [...order].map((list) => hamming(partitions.centroids, list * WORDS, query, WORDS))
    expect(distances).toEqual([...distances].sort((a, b) => a - b))
    // Here the list the query's own code was put in is one of the nearest of all.
    expect(hamming(partitions.centroids, partitions.assign(codes, 0) * WORDS, query, WORDS)).toBe(distances[0])
  })

  it('refuse stored centroids that do not split into whole codes, naming both sizes', () => {
    expect(() => partitionsFrom(new Uint32Array(10), 4)).toThrow('Stored centroids hold 10 words')
  })
})
