import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RRF_K, reciprocalRankFusion } from './rrf'

describe('reciprocalRankFusion', () => {
  it('ranks an item found by both lists above items found by one, and sums 1/(k+rank)', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['d', 'b', 'a']
    ])
    expect(fused.map((f) => f.key)).toEqual(['a', 'b', 'd', 'c'])
    expect(fused[0]).toEqual({ key: 'a', score: 1 / (RRF_K + 1) + 1 / (RRF_K + 3), ranks: [1, 3] })
    expect(fused[2]).toEqual({ key: 'd', score: 1 / (RRF_K + 1), ranks: [null, 1] })
  })

  it('keeps one list’s order when the other is empty, and counts a repeated item at its best rank', () => {
    expect(reciprocalRankFusion([['x', 'y', 'x'], []]).map((f) => [f.key, f.ranks])).toEqual([
      ['x', [1, null]],
      ['y', [2, null]]
    ])
  })

  it('orders by score, and an item ahead in every list stays ahead (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 20 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 20 }),
        (a, b) => {
          const fused = reciprocalRankFusion([a, b])
          const position = new Map(fused.map((f, i) => [f.key, i]))
          for (let i = 1; i < fused.length; i++) if (fused[i]!.score > fused[i - 1]!.score) return false
          for (const x of position.keys()) {
            for (const y of position.keys()) {
              const dominates = [a, b].every((list) => {
                const ix = list.indexOf(x)
                const iy = list.indexOf(y)
                return ix !== -1 && (iy === -1 || ix < iy)
              })
              if (dominates && position.get(x)! > position.get(y)!) return false
            }
          }
          return new Set([...a, ...b]).size === fused.length
        }
      )
    )
  })
})
