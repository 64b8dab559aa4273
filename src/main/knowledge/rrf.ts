/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each list
 * gives an item 1 / (k + rank), rank counted from 1; the sums decide. Only
 * ranks matter, so BM25 scores and cosine similarities, which live on
 * different scales, never need to be made comparable. k = 60 is the value
 * the paper found robust.
 */
export const RRF_K = 60

export interface Fused<T> {
  readonly key: T
  readonly score: number
  /** Rank in each input list (1-based), null where the item was absent. */
  readonly ranks: readonly (number | null)[]
}

export function reciprocalRankFusion<T>(lists: readonly (readonly T[])[], k: number = RRF_K): Fused<T>[] {
  const fused = new Map<T, { score: number; ranks: (number | null)[]; firstSeen: number }>()
  let seen = 0
  lists.forEach((list, listIndex) => {
    list.forEach((key, index) => {
      let entry = fused.get(key)
      if (!entry) {
        entry = { score: 0, ranks: lists.map(() => null), firstSeen: seen++ }
        fused.set(key, entry)
      }
      // An item listed twice in one list counts at its best rank only.
      if (entry.ranks[listIndex] !== null) return
      entry.ranks[listIndex] = index + 1
      entry.score += 1 / (k + index + 1)
    })
  })
  return [...fused]
    .sort(([, a], [, b]) => b.score - a.score || a.firstSeen - b.firstSeen)
    .map(([key, { score, ranks }]) => ({ key, score, ranks }))
}
