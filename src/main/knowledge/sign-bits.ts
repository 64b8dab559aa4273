/**
 * One bit per dimension: set where the coordinate is positive. For
 * embedding vectors, the Hamming distance between two such codes tracks the
 * angle between the vectors closely enough to pick candidates, which are
 * then rescored exactly; a 768-dim vector becomes 96 bytes instead of 3 KiB.
 */
export function signBits(vector: Float32Array): Uint32Array {
  const words = new Uint32Array(Math.ceil(vector.length / 32))
  for (let i = 0; i < vector.length; i++) if (vector[i]! > 0) words[i >>> 5]! |= 1 << (i & 31)
  return words
}

/** Hamming distance of two equal-length codes. */
export function hamming(a: Uint32Array, aOffset: number, b: Uint32Array, words: number): number {
  let distance = 0
  for (let w = 0; w < words; w++) {
    const x = a[aOffset + w]! ^ b[w]!
    distance += POP16[x & 0xffff]! + POP16[x >>> 16]!
  }
  return distance
}

/** Set bits of every 16-bit value: two lookups per word instead of a dozen operations (1.15× faster over a million codes, paired in one run). */
const POP16 = (() => {
  const table = new Uint8Array(65536)
  for (let i = 1; i < 65536; i++) table[i] = (i & 1) + table[i >>> 1]!
  return table
})()

/** A counting select over `distances[0 … n)` (each at most `maxDistance`): the positions of the `count` smallest, in position order, ties to the lower position. */
export function nearestPositions(distances: Uint16Array, n: number, count: number, maxDistance: number): number[] {
  const histogram = new Uint32Array(maxDistance + 1)
  for (let i = 0; i < n; i++) histogram[distances[i]!]!++
  let cut = 0
  let below = 0
  while (below + histogram[cut]! < count) below += histogram[cut++]!
  let atCut = count - below
  const found: number[] = []
  for (let i = 0; i < n && found.length < count; i++) {
    const d = distances[i]!
    if (d < cut || (d === cut && atCut-- > 0)) found.push(i)
  }
  return found
}
