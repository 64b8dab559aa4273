import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  BLOCK_SLOTS,
  PREFIX_KEEP_PER_HIT,
  PREFIX_WORDS,
  createSignIndex,
  signIndexFromBlocks,
  type SignIndex,
  type SignIndexOptions
} from './sign-index'
import { LISTS } from './sign-partitions'

const WORDS = 2

type Op = { kind: 'upsert'; entries: { id: number; code: [number, number] }[] } | { kind: 'remove'; ids: number[] }

const id = fc.integer({ min: 0, max: 600 })
const code = fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff))
const ops = fc.array(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('upsert' as const),
        entries: fc.array(fc.record({ id, code }), { maxLength: 300 })
      })
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), ids: fc.array(id, { maxLength: 200 }) }) }
  ),
  { maxLength: 12 }
)

/** What the index should hold: the last code given for each id not removed since. */
function model(list: readonly Op[]): Map<number, Uint32Array> {
  const held = new Map<number, Uint32Array>()
  for (const op of list) {
    if (op.kind === 'upsert') for (const e of op.entries) held.set(e.id, Uint32Array.from(e.code))
    else for (const i of op.ids) held.delete(i)
  }
  return held
}

function contents(index: SignIndex): Map<number, string> {
  const found = new Map<number, string>()
  for (let b = 0; b < index.blocks; b++) {
    const { ids, codes } = index.block(b)
    ids.forEach((i, k) => found.set(i, [...codes.subarray(k * WORDS, (k + 1) * WORDS)].join(',')))
  }
  return found
}

type Stored = { ids: Float64Array; codes: Uint32Array; lists: Uint16Array | null }

/** Runs the ops on an index, keeping the blocks and centroids it asks to store, as the codes table would. */
function run(
  list: readonly Op[],
  options: SignIndexOptions
): { index: SignIndex; stored: Stored[]; centroids: Uint32Array | null } {
  const index = createSignIndex(WORDS, options)
  const stored = new Map<number, Stored>()
  let centroids: Uint32Array | null = null
  for (const op of list) {
    if (op.kind === 'upsert') {
      // Within one batch the last code for an id wins, as in the model.
      index.upsert(op.entries.map((e) => ({ id: e.id, code: Uint32Array.from(e.code) })))
    } else index.remove(new Set(op.ids))
    centroids = index.takeCentroids() ?? centroids
    for (const b of index.takeDirty()) {
      if (b < index.blocks) stored.set(b, index.block(b))
      else stored.delete(b)
    }
  }
  return { index, stored: [...stored.keys()].sort((a, b) => a - b).map((b) => stored.get(b)!), centroids }
}

describe('sign index', () => {
  // Unpartitioned, and partitioned from the first code (every list probed, so the search is exact and comparable).
  const layouts: [string, SignIndexOptions][] = [
    ['one flat scan', {}],
    ['partitioned', { partitionFrom: 1, probe: LISTS }],
    ['partitioned from 200 codes on', { partitionFrom: 200, probe: LISTS }]
  ]
  for (const [name, options] of layouts) {
    it(`(${name}) after any adds, replacements and removals holds what a rebuild holds, finds what a brute-force scan finds, and its stored blocks reload to the same (property)`, () => {
      fc.assert(
        fc.property(ops, code, (list, query) => {
          const { index, stored, centroids } = run(list, options)
          const expected = model(list)
          const want = new Map([...expected].map(([i, c]) => [i, [...c].join(',')]))
          expect(index.size).toBe(expected.size)
          expect(contents(index)).toEqual(want)
          // Every block but the last is full, so blocks map to slots without gaps.
          for (let b = 0; b < index.blocks - 1; b++) expect(index.block(b).ids.length).toBe(BLOCK_SLOTS)
          const reloaded = signIndexFromBlocks(WORDS, stored, { ...options, centroids })
          expect(contents(reloaded)).toEqual(want)
          // A reload that had to compute nothing has nothing to write.
          expect(reloaded.takeDirty()).toEqual([])
          const q = Uint32Array.from(query)
          const k = Math.min(10, expected.size)
          const distance = (i: number): number =>
            [...expected.get(i)!].reduce((sum, w, n) => sum + popcount(w ^ q[n]!), 0)
          const bruteForce = [...expected.keys()]
            .map(distance)
            .sort((a, b) => a - b)
            .slice(0, k)
          const found = (index: SignIndex): number[] =>
            index
              .nearest(q, k)
              .map(distance)
              .sort((a, b) => a - b)
          expect(found(index)).toEqual(bruteForce)
          expect(found(reloaded)).toEqual(bruteForce)
        }),
        { numRuns: 100 }
      )
    })
  }

  it('grown past the room it started with (its codes copied to a larger scan memory), finds what a brute-force scan finds, live and reloaded (property)', () => {
    const manyIds = fc.integer({ min: 0, max: 5000 })
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: manyIds, code }), { minLength: 1500, maxLength: 3000 }),
        fc.array(manyIds, { maxLength: 500 }),
        code,
        (entries, removed, query) => {
          const list: Op[] = [
            { kind: 'upsert', entries },
            { kind: 'remove', ids: removed }
          ]
          const { index, stored } = run(list, {})
          const expected = model(list)
          const q = Uint32Array.from(query)
          const distance = (i: number): number =>
            [...expected.get(i)!].reduce((sum, w, n) => sum + popcount(w ^ q[n]!), 0)
          const k = Math.min(25, expected.size)
          const bruteForce = [...expected.keys()]
            .map(distance)
            .sort((a, b) => a - b)
            .slice(0, k)
          const reloaded = signIndexFromBlocks(WORDS, stored)
          for (const searched of [index, reloaded]) {
            const found = searched.nearest(q, k)
            expect(new Set(found).size).toBe(k)
            expect(found.map(distance).sort((a, b) => a - b)).toEqual(bruteForce)
          }
        }
      ),
      { numRuns: 25 }
    )
  })

  it('partitioned, finds a code and its near copy while scanning only the nearest lists', () => {
    const words = 24
    const index = createSignIndex(words, { partitionFrom: 2000 })
    let seed = 1
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0)
    const codes: Uint32Array[] = []
    for (let i = 0; i < 3000; i++) {
      const c = Uint32Array.from({ length: words }, next)
      codes.push(c)
      index.add(i, c)
    }
    expect(index.centroids).not.toBeNull()
    const query = codes[17]!
    expect(index.nearest(query, 1)).toEqual([17])
    const near = Uint32Array.from(query)
    near[20]! ^= 0b1011
    index.add(5000, near)
    expect(index.nearest(query, 2)).toEqual([17, 5000])
    // Removing the first moves the last slot into its hole; the list entries follow.
    index.remove(new Set([17]))
    expect(index.nearest(query, 1)).toEqual([5000])
  })

  it('unpartitioned, in two stages keeps the exact nearest when the first stage keeps them all', () => {
    const words = 24
    const index = createSignIndex(words, { twoStageFrom: 0 })
    const codes: Uint32Array[] = []
    let seed = 1
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0)
    for (let i = 0; i < 3000; i++) {
      const c = Uint32Array.from({ length: words }, next)
      codes.push(c)
      index.add(i, c)
    }
    const query = codes[17]!
    expect(index.nearest(query, 1)).toEqual([17])
    // A near copy of code 17 (a few bits flipped after the prefix) is found second.
    const near = Uint32Array.from(query)
    near[20]! ^= 0b1011
    index.add(5000, near)
    expect(index.nearest(query, 2)).toEqual([17, 5000])
  })

  it('unpartitioned in two stages, finds for every held code an id holding that exact code first, after any adds, replacements and removals, live and reloaded (property)', () => {
    const words = 24
    const wide = (seed: number): Uint32Array => {
      let x = seed + 1
      return Uint32Array.from({ length: words }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0))
    }
    const wideOps = fc.array(
      fc.oneof(
        {
          weight: 3,
          arbitrary: fc.array(fc.tuple(id, fc.nat()), { maxLength: 200 }).map((e) => ({ kind: 'upsert' as const, e }))
        },
        { weight: 1, arbitrary: fc.array(id, { maxLength: 150 }).map((ids) => ({ kind: 'remove' as const, ids })) }
      ),
      { maxLength: 10 }
    )
    fc.assert(
      fc.property(wideOps, (list) => {
        const index = createSignIndex(words, { twoStageFrom: 0 })
        const held = new Map<number, Uint32Array>()
        for (const op of list) {
          if (op.kind === 'upsert') {
            index.upsert(op.e.map(([i, seed]) => ({ id: i, code: wide(seed) })))
            for (const [i, seed] of op.e) held.set(i, wide(seed))
          } else {
            index.remove(new Set(op.ids))
            for (const i of op.ids) held.delete(i)
          }
        }
        const reloaded = signIndexFromBlocks(
          words,
          Array.from({ length: index.blocks }, (_, b) => index.block(b)),
          { twoStageFrom: 0 }
        )
        // Two ids may hold the same code (same seed); either is then an exact match.
        const holding = (code: Uint32Array): number[] =>
          [...held].filter(([, c]) => c.every((w, k) => w === code[k])).map(([j]) => j)
        for (const [i, code] of [...held].slice(0, 25)) {
          const exact = holding(code)
          expect(exact).toContain(i)
          expect(exact).toContain(index.nearest(code, 1)[0])
          expect(exact).toContain(reloaded.nearest(code, 1)[0])
        }
      }),
      { numRuns: 60 }
    )
  })

  it('unpartitioned in two stages, grown past its first room and with slots moved by removals, finds what a brute-force two-stage count over its slots finds, live and reloaded (property)', () => {
    const words = 24
    const tieProne = fc.oneof(fc.nat(0xffffffff), fc.constantFrom(0, 0xffffffff))
    fc.assert(
      fc.property(
        fc.array(fc.array(tieProne, { minLength: words, maxLength: words }), { minLength: 1100, maxLength: 1600 }),
        fc.array(fc.integer({ min: 0, max: 1700 }), { maxLength: 300 }),
        fc.array(tieProne, { minLength: words, maxLength: words }),
        fc.integer({ min: 1, max: 40 }),
        (codes, removed, query, k) => {
          const index = createSignIndex(words, { twoStageFrom: 0 })
          index.upsert(codes.map((c, i) => ({ id: i, code: Uint32Array.from(c) })))
          index.remove(new Set(removed))
          const q = Uint32Array.from(query)
          const slots = Array.from({ length: index.blocks }, (_, b) => index.block(b))
          const ids = slots.flatMap((b) => [...b.ids])
          const held = slots.flatMap((b) =>
            Array.from({ length: b.ids.length }, (_, i) => b.codes.subarray(i * words, (i + 1) * words))
          )
          const distance = (code: Uint32Array, n: number): number =>
            code.subarray(0, n).reduce((sum, w, i) => sum + popcount(w ^ q[i]!), 0)
          const nearest = (positions: number[], by: (p: number) => number, keep: number): number[] =>
            positions
              .map((p) => ({ p, d: by(p) }))
              .sort((a, b) => a.d - b.d || a.p - b.p)
              .slice(0, keep)
              .map((e) => e.p)
              .sort((a, b) => a - b)
          const shortlist = nearest(
            ids.map((_, p) => p),
            (p) => distance(held[p]!, PREFIX_WORDS),
            PREFIX_KEEP_PER_HIT * k
          )
          const expected = nearest(shortlist, (p) => distance(held[p]!, words), k).map((p) => ids[p]!)
          expect(index.nearest(q, k)).toEqual(expected)
          const reloaded = signIndexFromBlocks(words, slots, { twoStageFrom: 0 })
          expect(reloaded.nearest(q, k)).toEqual(expected)
        }
      ),
      { numRuns: 20 }
    )
  })

  it('a load of blocks stored before partitions computes their lists once and marks them to be written', () => {
    const words = 2
    const flat = createSignIndex(words)
    for (let i = 0; i < 600; i++) flat.add(i, Uint32Array.of(i * 7919, i * 104729))
    const blocks = Array.from({ length: flat.blocks }, (_, b) => flat.block(b))
    expect(blocks.every((b) => b.lists === null)).toBe(true)
    const loaded = signIndexFromBlocks(words, blocks, { partitionFrom: 500, probe: LISTS })
    expect(loaded.takeCentroids()).not.toBeNull()
    expect(loaded.takeDirty()).toEqual([0, 1, 2])
    expect(loaded.block(1).lists).toHaveLength(BLOCK_SLOTS)
    expect(loaded.nearest(Uint32Array.of(7 * 7919, 7 * 104729), 1)).toEqual([7])
  })
})

function popcount(value: number): number {
  let n = 0
  for (let v = value >>> 0; v; v >>>= 1) n += v & 1
  return n
}
