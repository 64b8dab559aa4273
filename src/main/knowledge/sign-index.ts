import { hamming } from './sign-bits'

/**
 * The sign codes of one collection, in memory: 96 bytes per 768-dim vector
 * (96 MB for a million), kept in slots that blocks of `BLOCK_SLOTS` map to
 * rows of the codes table (code-store.ts), so a change rewrites only the
 * blocks it touched.
 *
 * Past `TWO_STAGE_FROM` codes a search first ranks every slot by the
 * Hamming distance of its first PREFIX_WORDS words (256 of 768 bits: a third
 * of the work), keeps the best `PREFIX_KEEP_PER_HIT` per wanted candidate,
 * and ranks those by the whole code. Recall against the one-stage scan is
 * measured in bench/kb.ts.
 */
export interface SignIndex {
  readonly words: number
  readonly size: number
  /** Adds a code, or replaces the code of an id already held. */
  add(id: number, code: Uint32Array): void
  /** Replaces the codes of ids already held; ids not held are added. */
  upsert(entries: readonly { id: number; code: Uint32Array }[]): void
  /** Appends ids known not to be held (a load from stored blocks), without looking for them first. */
  appendDistinct(ids: Float64Array, codes: Uint32Array): void
  /** Drops ids (the last slot moves into each hole); returns how many were held. */
  remove(ids: ReadonlySet<number>): number
  /** The `count` ids nearest in Hamming distance. */
  nearest(query: Uint32Array, count: number): number[]
  /** Blocks changed since the last `takeDirty`, for the codes table. */
  takeDirty(): number[]
  /** Slots `block * BLOCK_SLOTS …` as stored: ids (float64) and codes, cut at `size`. */
  block(block: number): { ids: Float64Array; codes: Uint32Array }
  readonly blocks: number
}

export const BLOCK_SLOTS = 256
export const TWO_STAGE_FROM = 50_000
export const PREFIX_WORDS = 8
export const PREFIX_KEEP_PER_HIT = 20

export function createSignIndex(words: number, options: { twoStageFrom?: number } = {}): SignIndex {
  const twoStageFrom = options.twoStageFrom ?? TWO_STAGE_FROM
  const prefixWords = Math.min(PREFIX_WORDS, words)
  const twoStage = words >= prefixWords * 2
  let ids = new Float64Array(1024)
  let codes = new Uint32Array(1024 * words)
  let prefix = new Uint32Array(1024 * prefixWords)
  let size = 0
  const dirty = new Set<number>()
  // Reused between searches, so a query allocates nothing in proportion to the collection.
  let distances = new Uint16Array(0)

  const grow = (): void => {
    const grownIds = new Float64Array(ids.length * 2)
    grownIds.set(ids)
    ids = grownIds
    const grownCodes = new Uint32Array(codes.length * 2)
    grownCodes.set(codes)
    codes = grownCodes
    const grownPrefix = new Uint32Array(prefix.length * 2)
    grownPrefix.set(prefix)
    prefix = grownPrefix
  }

  const write = (slot: number, id: number, code: Uint32Array, codeOffset = 0): void => {
    ids[slot] = id
    codes.set(code.subarray(codeOffset, codeOffset + words), slot * words)
    prefix.set(code.subarray(codeOffset, codeOffset + prefixWords), slot * prefixWords)
    dirty.add(Math.floor(slot / BLOCK_SLOTS))
  }

  const append = (id: number, code: Uint32Array): void => {
    if (size === ids.length) grow()
    write(size++, id, code)
  }

  /** Slots of the ids asked for, by one pass over the slots (no id map kept: it would cost more memory than the codes). */
  const slotsOf = (wanted: ReadonlySet<number>): Map<number, number> => {
    const found = new Map<number, number>()
    if (wanted.size === 0) return found
    for (let slot = 0; slot < size; slot++) if (wanted.has(ids[slot]!)) found.set(ids[slot]!, slot)
    return found
  }

  /** Prefix distances of every slot into `distances`. */
  const scanPrefix = (query: Uint32Array): void => {
    for (let i = 0, offset = 0; i < size; i++, offset += prefixWords)
      distances[i] = hamming(prefix, offset, query, prefixWords)
  }

  /** A counting select over `distances[0..n)`: the positions of the `count` smallest, in position order. */
  const select = (n: number, count: number, maxDistance: number): number[] => {
    const histogram = new Uint32Array(maxDistance + 1)
    for (let i = 0; i < n; i++) histogram[distances[i]!]!++
    let cut = 0
    let below = 0
    while (below + histogram[cut]! < count) below += histogram[cut++]!
    let atCut = count - below
    const found: number[] = []
    for (let i = 0; i < n && found.length < count; i++) {
      const d = distances[i]!
      if (d < cut) found.push(i)
      else if (d === cut && atCut > 0) {
        found.push(i)
        atCut--
      }
    }
    return found
  }

  const index: SignIndex = {
    words,
    get size() {
      return size
    },
    get blocks() {
      return Math.ceil(size / BLOCK_SLOTS)
    },
    add: (id, code) => index.upsert([{ id, code }]),
    upsert(entries) {
      const held = slotsOf(new Set(entries.map((e) => e.id)))
      for (const { id, code } of entries) {
        const slot = held.get(id)
        if (slot === undefined) {
          append(id, code)
          held.set(id, size - 1)
        } else write(slot, id, code)
      }
    },
    appendDistinct(newIds, newCodes) {
      // In bulk: a start appends a whole block per call, so this is two copies and a strided one.
      if (newIds.length === 0) return
      while (size + newIds.length > ids.length) grow()
      ids.set(newIds, size)
      codes.set(newCodes.subarray(0, newIds.length * words), size * words)
      for (let i = 0; i < newIds.length; i++) {
        const from = i * words
        const to = (size + i) * prefixWords
        for (let w = 0; w < prefixWords; w++) prefix[to + w] = newCodes[from + w]!
      }
      for (let b = Math.floor(size / BLOCK_SLOTS); b <= Math.floor((size + newIds.length - 1) / BLOCK_SLOTS); b++)
        dirty.add(b)
      size += newIds.length
    },
    remove(gone) {
      let removed = 0
      for (let slot = 0; slot < size;) {
        if (!gone.has(ids[slot]!)) {
          slot++
          continue
        }
        const last = size - 1
        if (slot !== last) write(slot, ids[last]!, codes, last * words)
        dirty.add(Math.floor(last / BLOCK_SLOTS))
        size--
        removed++
      }
      return removed
    },
    nearest(query, count) {
      if (size <= count) return Array.from(ids.subarray(0, size))
      if (distances.length < size) distances = new Uint16Array(Math.max(size, distances.length * 2))
      const keep = PREFIX_KEEP_PER_HIT * count
      if (!twoStage || size < twoStageFrom || keep >= size) {
        for (let i = 0, offset = 0; i < size; i++, offset += words) distances[i] = hamming(codes, offset, query, words)
        return select(size, count, words * 32).map((i) => ids[i]!)
      }
      scanPrefix(query)
      const shortlist = select(size, keep, prefixWords * 32)
      shortlist.forEach((slot, i) => (distances[i] = hamming(codes, slot * words, query, words)))
      return select(shortlist.length, count, words * 32).map((i) => ids[shortlist[i]!]!)
    },
    takeDirty() {
      const blocks = [...dirty].sort((a, b) => a - b)
      dirty.clear()
      return blocks
    },
    block(block) {
      const from = block * BLOCK_SLOTS
      const to = Math.min(size, from + BLOCK_SLOTS)
      return { ids: ids.slice(from, Math.max(from, to)), codes: codes.slice(from * words, Math.max(from, to) * words) }
    }
  }
  return index
}

/** An index filled from stored blocks, in slot order: what a start reads in a few large rows. */
export function signIndexFromBlocks(
  words: number,
  blocks: Iterable<{ ids: Float64Array; codes: Uint32Array }>,
  options: { twoStageFrom?: number } = {}
): SignIndex {
  const index = createSignIndex(words, options)
  for (const block of blocks) index.appendDistinct(block.ids, block.codes)
  index.takeDirty()
  return index
}
