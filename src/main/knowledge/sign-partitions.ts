import { mulberry32 } from './mulberry32'
import { hamming } from './sign-bits'

/**
 * Partitions of the sign codes (an inverted file, IVF): LISTS centroids
 * trained by k-majority (k-means for bit strings: a centroid bit is the
 * majority bit of its members) on a sample of the codes, each code kept in
 * the list of its nearest centroid. A search ranks the centroids and scans
 * only the codes of the nearest lists, a few per cent of the collection;
 * recall against the exact scan is measured in bench/kb.ts. (Two levels of
 * centroids, cheaper to assign to, lost a tenth of the recall on the
 * benchmark's corpus: a coarse centroid is the majority of many topics and
 * says little about any.)
 */
export interface SignPartitions {
  readonly words: number
  /** `LISTS × words` words, centroid after centroid: what is persisted. */
  readonly centroids: Uint32Array
  /** The list of the code at `codes[offset …]`. */
  assign(codes: Uint32Array, offset: number): number
  /** Every list, nearest centroid first, into `order` (reused between searches). */
  rank(query: Uint32Array, order: Uint16Array): void
}

export const LISTS = 1024
/** An add compares the first PREFIX_WORDS words of every centroid, then the whole code with the SHORTLIST nearest: a third of the work of a full comparison, and the same list for nearly every code (bench/kb.ts). */
export const PREFIX_WORDS = 8
export const SHORTLIST = 8
export const TRAINING_ITERATIONS = 4
/** Codes sampled per list to train on: a majority per bit from a few dozen codes, trained in about a second. */
export const SAMPLE_PER_LIST = 16

export function partitionsFrom(centroids: Uint32Array, words: number): SignPartitions {
  const lists = centroids.length / words
  if (!Number.isInteger(lists) || lists < 1 || lists > 65_536)
    throw new Error(`Stored centroids hold ${centroids.length} words, not a whole number of ${words}-word centroids`)
  const prefixWords = Math.min(PREFIX_WORDS, words)
  const distances = new Uint16Array(lists)
  const histogram = new Uint32Array(words * 32 + 2)
  const shortlist = new Uint32Array(SHORTLIST)
  const shortDistances = new Uint32Array(SHORTLIST)
  return {
    words,
    centroids,
    assign(codes, offset) {
      const code = codes.subarray(offset, offset + words)
      // The SHORTLIST smallest prefix distances, kept sorted by insertion (the list is short).
      let held = 0
      for (let l = 0; l < lists; l++) {
        const d = hamming(centroids, l * words, code, prefixWords)
        if (held === SHORTLIST && d >= shortDistances[held - 1]!) continue
        let at = held < SHORTLIST ? held++ : held - 1
        while (at > 0 && shortDistances[at - 1]! > d) {
          shortDistances[at] = shortDistances[at - 1]!
          shortlist[at] = shortlist[at - 1]!
          at--
        }
        shortDistances[at] = d
        shortlist[at] = l
      }
      let best = shortlist[0]!
      let bestDistance = Infinity
      for (let i = 0; i < held; i++) {
        const d = hamming(centroids, shortlist[i]! * words, code, words)
        if (d < bestDistance || (d === bestDistance && shortlist[i]! < best)) {
          bestDistance = d
          best = shortlist[i]!
        }
      }
      return best
    },
    rank(query, order) {
      // A counting sort by distance: stable, and no comparator calls.
      histogram.fill(0)
      for (let l = 0; l < lists; l++) {
        const d = hamming(centroids, l * words, query, words)
        distances[l] = d
        histogram[d + 1]!++
      }
      for (let d = 1; d < histogram.length; d++) histogram[d]! += histogram[d - 1]!
      for (let l = 0; l < lists; l++) order[histogram[distances[l]!]!++] = l
    }
  }
}

/**
 * Trains LISTS centroids by k-majority on a sample of `codes[0 … size ×
 * words)`; the same codes give the same centroids (a fixed seed).
 */
export function trainPartitions(codes: Uint32Array, size: number, words: number): SignPartitions {
  const random = mulberry32(0x5eed)
  const sample = sampleOf(codes, size, words, LISTS * SAMPLE_PER_LIST, random)
  const count = sample.length / words
  const centroids = new Uint32Array(LISTS * words)
  // With fewer codes than lists, codes repeat: the repeats' lists stay empty (ties go to the first).
  for (let l = 0; l < LISTS; l++)
    centroids.set(sample.subarray((l % count) * words, ((l % count) + 1) * words), l * words)
  const partitions = partitionsFrom(centroids, words)
  if (count <= LISTS) return partitions
  const bits = words * 32
  const ones = new Uint32Array(LISTS * bits)
  const sizes = new Uint32Array(LISTS)
  for (let iteration = 0; iteration < TRAINING_ITERATIONS; iteration++) {
    ones.fill(0)
    sizes.fill(0)
    for (let i = 0; i < count; i++) {
      const l = partitions.assign(sample, i * words)
      sizes[l]!++
      for (let w = 0; w < words; w++) {
        let x = sample[i * words + w]!
        const base = l * bits + w * 32
        while (x !== 0) {
          const low = x & -x
          ones[base + 31 - Math.clz32(low)]!++
          x ^= low
        }
      }
    }
    for (let l = 0; l < LISTS; l++) {
      if (sizes[l] === 0) {
        // An empty list takes a random code, so no centroid is wasted.
        const i = Math.floor(random() * count)
        centroids.set(sample.subarray(i * words, (i + 1) * words), l * words)
        continue
      }
      for (let w = 0; w < words; w++) {
        let word = 0
        for (let b = 0; b < 32; b++) {
          const twice = ones[l * bits + w * 32 + b]! * 2
          // A tie keeps the bit the centroid had.
          if (twice > sizes[l]! || (twice === sizes[l]! && (centroids[l * words + w]! >>> b) & 1)) word |= 1 << b
        }
        centroids[l * words + w] = word >>> 0
      }
    }
  }
  return partitions
}

function sampleOf(codes: Uint32Array, size: number, words: number, wanted: number, random: () => number): Uint32Array {
  const count = Math.min(size, wanted)
  // A partial Fisher–Yates over slot numbers: a sample without repeats.
  const slots = new Uint32Array(size)
  for (let i = 0; i < size; i++) slots[i] = i
  const sample = new Uint32Array(count * words)
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (size - i))
    const slot = slots[j]!
    slots[j] = slots[i]!
    sample.set(codes.subarray(slot * words, (slot + 1) * words), i * words)
  }
  return sample
}
