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
  for (let w = 0; w < words; w++) distance += popcount(a[aOffset + w]! ^ b[w]!)
  return distance
}

function popcount(value: number): number {
  let x = value - ((value >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}
