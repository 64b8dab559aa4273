import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BLOCK_SLOTS, createSignIndex, signIndexFromBlocks, type SignIndex } from './sign-index'

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

describe('sign index', () => {
  it('after any adds, replacements and removals holds what a rebuild from scratch holds, and its stored blocks reload to the same (property)', () => {
    fc.assert(
      fc.property(ops, code, (list, query) => {
        const index = createSignIndex(WORDS)
        const stored = new Map<number, { ids: Float64Array; codes: Uint32Array }>()
        for (const op of list) {
          if (op.kind === 'upsert') {
            // Within one batch the last code for an id wins, as in the model.
            index.upsert(op.entries.map((e) => ({ id: e.id, code: Uint32Array.from(e.code) })))
          } else index.remove(new Set(op.ids))
          for (const b of index.takeDirty()) {
            if (b < index.blocks) stored.set(b, index.block(b))
            else stored.delete(b)
          }
        }
        const expected = model(list)
        const rebuilt = createSignIndex(WORDS)
        for (const [i, c] of expected) rebuilt.add(i, c)
        const want = new Map([...expected].map(([i, c]) => [i, [...c].join(',')]))
        expect(index.size).toBe(expected.size)
        expect(contents(index)).toEqual(want)
        const reloaded = signIndexFromBlocks(
          WORDS,
          [...stored.keys()].sort((a, b) => a - b).map((b) => stored.get(b)!)
        )
        expect(contents(reloaded)).toEqual(want)
        // Every block but the last is full, so blocks map to slots without gaps.
        for (let b = 0; b < index.blocks - 1; b++) expect(index.block(b).ids.length).toBe(BLOCK_SLOTS)
        const q = Uint32Array.from(query)
        const k = Math.min(10, expected.size)
        const distance = (i: number): number =>
          [...expected.get(i)!].reduce((sum, w, n) => sum + popcount(w ^ q[n]!), 0)
        const worst = (found: number[]): number[] => found.map(distance).sort((a, b) => a - b)
        expect(worst(index.nearest(q, k))).toEqual(worst(rebuilt.nearest(q, k)))
      }),
      { numRuns: 150 }
    )
  })

  it('in two stages keeps the exact nearest when the first stage keeps them all', () => {
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
})

function popcount(value: number): number {
  let n = 0
  for (let v = value >>> 0; v; v >>>= 1) n += v & 1
  return n
}
