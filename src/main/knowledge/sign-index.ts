import { createFineSlots, type FineCode } from './fine-slots'
import { hamming, nearestPositions } from './sign-bits'
import { PREFIX_WORDS, TWO_STAGE_MIN_WORDS, createScanArena } from './sign-scan'
import { LISTS, partitionsFrom, trainPartitions, type SignPartitions } from './sign-partitions'

/**
 * The sign codes of one collection, in memory: 96 bytes per 768-dim vector
 * (96 MB for a million), kept in slots that blocks of `BLOCK_SLOTS` map to
 * rows of the codes table (code-store.ts), so a change rewrites only the
 * blocks it touched.
 *
 * From `partitionFrom` codes on (off by default, see PARTITION_FROM), the
 * codes are partitioned (sign-partitions.ts): each slot belongs to one list, and a search scans
 * the lists of the `PROBE` centroids nearest the query (more while fewer
 * than `SCAN_PER_HIT` codes per wanted candidate were seen) instead of every
 * code. Without partitions every code is scanned, in two stages past
 * TWO_STAGE_FROM. Each block stores its slots' lists
 * beside their codes, so a start reads the partitions instead of recomputing
 * them. Recall against the exact scan is measured in bench/kb.ts.
 */
export interface SignIndex {
  readonly words: number
  readonly size: number
  /** Adds a code, or replaces the code of an id already held. */
  add(id: number, code: Uint32Array): void
  /** Replaces the codes of ids already held; ids not held are added, with their fine codes when given. */
  upsert(entries: readonly { id: number; code: Uint32Array; fine?: FineCode }[]): void
  /**
   * Appends slots read from storage (ids known not to be held), with their
   * lists when stored. Their blocks are marked changed when `fresh` (not
   * stored as blocks yet) or when their lists had to be computed.
   */
  appendStored(ids: Float64Array, codes: Uint32Array, lists: Uint16Array | null, fresh?: boolean): void
  /** Drops ids (the last slot moves into each hole); returns how many were held. */
  remove(ids: ReadonlySet<number>): number
  /** The `count` ids nearest in Hamming distance (among the probed lists once partitioned). */
  nearest(query: Uint32Array, count: number): number[]
  /** The same, as slots: `idAt` and `fine` read what a slot holds. */
  nearestSlots(query: Uint32Array, count: number): number[]
  idAt(slot: number): number
  /** Passes over every code's prefix so far: one per two-stage search, more where its sample misjudged (bench/kb-sign.ts reports them). */
  readonly prefixPasses: number
  /**
   * Each slot's int8 codes (`fineDimension` apart) and factor (fine-codes.ts),
   * NaN while not known: slots read from the code blocks get theirs in the
   * background (code-store.ts `warmFine`). Views are replaced when the index grows.
   */
  readonly fine: { readonly codes: Int8Array; readonly factors: Float32Array }
  readonly fineDimension: number
  setFine(slot: number, code: FineCode): void
  /** A block's fine codes as stored (factors, then int8s), or null while a slot of it has none. */
  fineBlock(block: number): { ids: Float64Array; bytes: Uint8Array } | null
  /** Trains the partitions when the index has grown to `PARTITION_FROM` codes without them. */
  partitionWhenDue(): void
  /** Blocks changed since the last `takeDirty`, for the codes table. */
  takeDirty(): number[]
  /** The centroids, when they changed since the last call (null otherwise). */
  takeCentroids(): Uint32Array | null
  /** The centroids, when partitioned. */
  readonly centroids: Uint32Array | null
  /** Slots `block * BLOCK_SLOTS …` as stored: ids (float64), codes and lists (null before partitions), cut at `size`. */
  block(block: number): { ids: Float64Array; codes: Uint32Array; lists: Uint16Array | null }
  readonly blocks: number
}

export const BLOCK_SLOTS = 256
/**
 * Off by default: on the benchmark's corpus the partitions kept recall@10
 * at 0.990 with 100,000 codes (1,000 topics) but fell to 0.39 at a million
 * (10,000 topics, ten per list): a majority-bit centroid of ten unrelated
 * topics says little about any of them (README.md). `partitionFrom` turns
 * them on for measurement.
 */
export const PARTITION_FROM = Infinity
/** Without partitions, from this many codes a search first ranks every code by its first PREFIX_WORDS words, keeps PREFIX_KEEP_PER_HIT per wanted candidate, and ranks those by the whole code. */
export const TWO_STAGE_FROM = 50_000
export { PREFIX_WORDS }
export const PREFIX_KEEP_PER_HIT = 20
export const PROBE = 16
export const SCAN_PER_HIT = 8

export interface SignIndexOptions {
  /** From how many codes the index partitions itself; tests lower it. */
  readonly partitionFrom?: number
  /** Lists scanned per search, at least; a test gives LISTS to scan them all. */
  readonly probe?: number
  /** Stored centroids, for an index read from its blocks. */
  readonly centroids?: Uint32Array | null
  /** Slots to make room for at once (a load knows how many it reads). */
  readonly capacity?: number
  /** From how many codes an unpartitioned search goes in two stages; tests lower it. */
  readonly twoStageFrom?: number
  /** Dimensions of the fine codes kept per slot; 0 keeps none (tests of the sign stage alone). */
  readonly fineDimension?: number
}

export function createSignIndex(words: number, options: SignIndexOptions = {}): SignIndex {
  const partitionFrom = options.partitionFrom ?? PARTITION_FROM
  const probe = options.probe ?? PROBE
  const twoStageFrom = words >= TWO_STAGE_MIN_WORDS ? (options.twoStageFrom ?? TWO_STAGE_FROM) : Infinity
  let partitions: SignPartitions | null = options.centroids ? partitionsFrom(options.centroids, words) : null
  let centroidsChanged = false
  let capacity = Math.max(1024, options.capacity ?? 0)
  let ids = new Float64Array(capacity)
  const fineSlots = createFineSlots(options.fineDimension ?? 0, capacity)
  // Codes and their first PREFIX_WORDS words side by side (the two-stage scan's first stage) live in WebAssembly memory, where the scans read them (sign-scan.ts).
  let arena = createScanArena(capacity, words)
  let passesBeforeGrown = 0
  let codes = arena.codes
  // Per slot: its list, and where in that list's members it sits (so a slot leaves its list in O(1)).
  let listOf = new Uint16Array(capacity)
  let place = new Uint32Array(capacity)
  const members: Uint32Array[] = []
  const memberCount = new Uint32Array(LISTS)
  let size = 0
  const dirty = new Set<number>()
  // Reused between searches, sized to what a search ranks in JavaScript: the lists it reads, or the shortlist.
  let distances = new Uint16Array(0)
  let scanned = new Uint32Array(0)
  const order = new Uint16Array(LISTS)

  const grow = (wanted: number): void => {
    if (wanted <= capacity) return
    while (capacity < wanted) capacity *= 2
    const widen = <T extends Float64Array | Uint32Array | Uint16Array>(old: T, make: (n: number) => T, per = 1): T => {
      const next = make(capacity * per)
      next.set(old)
      return next
    }
    ids = widen(ids, (n) => new Float64Array(n))
    fineSlots.grow(capacity)
    const grown = createScanArena(capacity, words)
    passesBeforeGrown += arena.prefixPasses
    grown.write(0, codes, 0, size)
    arena = grown
    codes = arena.codes
    listOf = widen(listOf, (n) => new Uint16Array(n))
    place = widen(place, (n) => new Uint32Array(n))
  }

  let membersStale = false
  /** Every list's members from `listOf`, by a counting sort, with room to grow. */
  const gatherMembers = (): void => {
    membersStale = false
    memberCount.fill(0)
    for (let slot = 0; slot < size; slot++) memberCount[listOf[slot]!]!++
    for (let list = 0; list < LISTS; list++) {
      const n = memberCount[list]!
      members[list] = new Uint32Array(Math.max(16, n + (n >>> 2)))
      memberCount[list] = 0
    }
    for (let slot = 0; slot < size; slot++) {
      const list = listOf[slot]!
      const n = memberCount[list]!
      members[list]![n] = slot
      place[slot] = n
      memberCount[list] = n + 1
    }
  }

  const join = (slot: number, list: number): void => {
    let held = members[list] ?? new Uint32Array(16)
    const n = memberCount[list]!
    if (n === held.length) {
      const grown = new Uint32Array(held.length * 2)
      grown.set(held)
      held = grown
    }
    members[list] = held
    held[n] = slot
    memberCount[list] = n + 1
    listOf[slot] = list
    place[slot] = n
  }

  const leave = (slot: number): void => {
    const list = listOf[slot]!
    const held = members[list]!
    const last = --memberCount[list]!
    const moved = held[last]!
    held[place[slot]!] = moved
    place[moved] = place[slot]!
  }

  const write = (slot: number, id: number, code: Uint32Array, codeOffset = 0, fineCode?: FineCode): void => {
    ids[slot] = id
    fineSlots.set(slot, fineCode)
    arena.write(slot, code, codeOffset)
    dirty.add(Math.floor(slot / BLOCK_SLOTS))
  }

  const append = (id: number, code: Uint32Array, fineCode?: FineCode): void => {
    grow(size + 1)
    write(size, id, code, 0, fineCode)
    if (partitions) join(size, partitions.assign(codes, size * words))
    size++
  }

  /** Slots of the ids asked for, by one pass over the slots (no id map kept: it would cost more memory than the codes). */
  const slotsOf = (wanted: ReadonlySet<number>): Map<number, number> => {
    const found = new Map<number, number>()
    if (wanted.size === 0) return found
    for (let slot = 0; slot < size; slot++) if (wanted.has(ids[slot]!)) found.set(ids[slot]!, slot)
    return found
  }

  const select = (n: number, count: number): number[] => nearestPositions(distances, n, count, words * 32)

  /** Distances of the slots in the nearest lists into `distances`, their slots into `scanned`; returns how many. */
  const scanLists = (query: Uint32Array, count: number, parts: SignPartitions): number => {
    parts.rank(query, order)
    let n = 0
    for (let rank = 0; rank < LISTS && (rank < probe || n < count * SCAN_PER_HIT); rank++) {
      const list = order[rank]!
      const held = members[list]
      const m = memberCount[list]!
      if (!held || m === 0) continue
      if (distances.length < n + m) {
        const grownDistances = new Uint16Array(Math.max(n + m, distances.length * 2))
        grownDistances.set(distances.subarray(0, n))
        distances = grownDistances
        const grownScanned = new Uint32Array(distances.length)
        grownScanned.set(scanned.subarray(0, n))
        scanned = grownScanned
      }
      for (let i = 0; i < m; i++, n++) {
        const slot = held[i]!
        scanned[n] = slot
        distances[n] = hamming(codes, slot * words, query, words)
      }
    }
    return n
  }

  const index: SignIndex = {
    words,
    get size() {
      return size
    },
    get blocks() {
      return Math.ceil(size / BLOCK_SLOTS)
    },
    get centroids() {
      return partitions?.centroids ?? null
    },
    add: (id, code) => index.upsert([{ id, code }]),
    upsert(entries) {
      if (membersStale) gatherMembers()
      const held = slotsOf(new Set(entries.map((e) => e.id)))
      for (const { id, code, fine } of entries) {
        const slot = held.get(id)
        if (slot === undefined) {
          append(id, code, fine)
          held.set(id, size - 1)
          continue
        }
        write(slot, id, code, 0, fine)
        if (partitions) {
          leave(slot)
          join(slot, partitions.assign(codes, slot * words))
        }
      }
      index.partitionWhenDue()
    },
    appendStored(newIds, newCodes, lists, fresh = false) {
      // In bulk: a start appends a whole block per call.
      if (newIds.length === 0) return
      grow(size + newIds.length)
      ids.set(newIds, size)
      fineSlots.clear(size, size + newIds.length)
      arena.write(size, newCodes, 0, newIds.length)
      const stored = lists !== null && lists.length === newIds.length
      if (partitions) {
        // The lists' members are gathered once, before they are next used: one pass over every slot instead of one call per slot.
        if (stored) listOf.set(lists, size)
        else
          for (let slot = size; slot < size + newIds.length; slot++)
            listOf[slot] = partitions.assign(codes, slot * words)
        membersStale = true
      }
      if (fresh || (partitions && !stored))
        for (let b = Math.floor(size / BLOCK_SLOTS); b <= Math.floor((size + newIds.length - 1) / BLOCK_SLOTS); b++)
          dirty.add(b)
      size += newIds.length
    },
    remove(gone) {
      if (membersStale) gatherMembers()
      let removed = 0
      for (let slot = 0; slot < size;) {
        if (!gone.has(ids[slot]!)) {
          slot++
          continue
        }
        const last = size - 1
        if (partitions) leave(slot)
        if (slot !== last) {
          write(slot, ids[last]!, codes, last * words, fineSlots.at(last))
          if (partitions) {
            // The last slot's code moved here: its list entry follows it.
            members[listOf[last]!]![place[last]!] = slot
            listOf[slot] = listOf[last]!
            place[slot] = place[last]!
          }
        }
        dirty.add(Math.floor(last / BLOCK_SLOTS))
        size--
        removed++
      }
      return removed
    },
    nearest: (query, count) => index.nearestSlots(query, count).map((slot) => ids[slot]!),
    nearestSlots(query, count) {
      if (size <= count) return Array.from({ length: size }, (_, slot) => slot)
      if (partitions) {
        if (membersStale) gatherMembers()
        const n = scanLists(query, count, partitions)
        return select(n, Math.min(count, n)).map((i) => scanned[i]!)
      }
      const shortlist = PREFIX_KEEP_PER_HIT * count
      if (size < twoStageFrom || shortlist >= size) return Array.from(arena.nearest(query, size, count))
      return Array.from(arena.nearestInTwoStages(query, size, shortlist, count))
    },
    idAt: (slot) => ids[slot]!,
    get prefixPasses() {
      return passesBeforeGrown + arena.prefixPasses
    },
    get fine() {
      return fineSlots.view
    },
    fineDimension: fineSlots.dimension,
    setFine: (slot, code) => fineSlots.set(slot, code),
    fineBlock(block) {
      const from = block * BLOCK_SLOTS
      const to = Math.max(from, Math.min(size, from + BLOCK_SLOTS))
      const bytes = fineSlots.stored(from, to)
      return bytes ? { ids: ids.slice(from, to), bytes } : null
    },
    partitionWhenDue() {
      if (partitions || size < partitionFrom || size === 0) return
      partitions = trainPartitions(codes, size, words)
      centroidsChanged = true
      for (let slot = 0; slot < size; slot++) listOf[slot] = partitions.assign(codes, slot * words)
      gatherMembers()
      for (let b = 0; b < index.blocks; b++) dirty.add(b)
    },
    takeDirty() {
      const blocks = [...dirty].sort((a, b) => a - b)
      dirty.clear()
      return blocks
    },
    takeCentroids() {
      if (!centroidsChanged || !partitions) return null
      centroidsChanged = false
      return partitions.centroids
    },
    block(block) {
      const from = block * BLOCK_SLOTS
      const to = Math.max(from, Math.min(size, from + BLOCK_SLOTS))
      return {
        ids: ids.slice(from, to),
        codes: codes.slice(from * words, to * words),
        lists: partitions ? listOf.slice(from, to) : null
      }
    }
  }
  return index
}

/** An index filled from stored blocks, in slot order: what a start reads in a few large rows. */
export function signIndexFromBlocks(
  words: number,
  blocks: Iterable<{ ids: Float64Array; codes: Uint32Array; lists: Uint16Array | null }>,
  options: SignIndexOptions = {}
): SignIndex {
  const index = createSignIndex(words, options)
  for (const block of blocks) index.appendStored(block.ids, block.codes, block.lists)
  index.partitionWhenDue()
  return index
}
