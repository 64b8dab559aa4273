import type { Fused } from './rrf'

/**
 * A convex combination of normalised scores (Bruch, Gai and Ingber, "An
 * Analysis of Fusion Functions for Hybrid Retrieval", 2023): each list's
 * scores are scaled to [0, 1] between a floor and the list's best, and an
 * item scores `alpha × lexical + (1 − alpha) × vector`, absent from a list
 * counting 0. The floor is the list's worst (min-max) or, as the paper
 * recommends (TM2C2), the score function's own minimum: 0 for BM25, −1 for
 * cosine similarity.
 * Unlike rank fusion it keeps how far apart the scores were. Which of the two
 * ranks better here is measured on a labelled set in bench/kb.ts.
 */
export const CONVEX_ALPHA = 0.5

export const THEORETICAL_FLOORS: readonly [number, number] = [0, -1]

export function convexFusion<T>(
  lexical: readonly { key: T; score: number }[],
  vector: readonly { key: T; score: number }[],
  alpha: number = CONVEX_ALPHA,
  floors: 'observed' | readonly [number, number] = THEORETICAL_FLOORS
): Fused<T>[] {
  const lists = [lexical, vector]
  const weights = [alpha, 1 - alpha]
  const fused = new Map<T, { score: number; ranks: (number | null)[]; firstSeen: number }>()
  let seen = 0
  lists.forEach((list, listIndex) => {
    const scores = list.map((item) => item.score)
    const min = floors === 'observed' ? Math.min(...scores) : floors[listIndex]!
    const span = Math.max(...scores) - min
    list.forEach((item, index) => {
      let entry = fused.get(item.key)
      if (!entry) {
        entry = { score: 0, ranks: [null, null], firstSeen: seen++ }
        fused.set(item.key, entry)
      }
      if (entry.ranks[listIndex] !== null) return
      entry.ranks[listIndex] = index + 1
      // A list of one item, or of equal scores, gives each the full weight.
      entry.score += weights[listIndex]! * (span > 0 ? (item.score - min) / span : 1)
    })
  })
  return [...fused]
    .sort(([, a], [, b]) => b.score - a.score || a.firstSeen - b.firstSeen)
    .map(([key, { score, ranks }]) => ({ key, score, ranks }))
}
