import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hamming, signBits } from './sign-bits'
import { createSignIndex } from './sign-index'

describe('sign bits', () => {
  it('sets one bit per positive coordinate, for any dimension', () => {
    expect([...signBits(Float32Array.from([1, -1, 0, 2]))]).toEqual([0b1001])
    expect(signBits(new Float32Array(33).fill(1))).toEqual(Uint32Array.from([0xffffffff, 1]))
  })

  it('measures Hamming distance as the count of differing signs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 100 }),
        fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 100 }),
        (a, b) => {
          const n = Math.min(a.length, b.length)
          const x = Float32Array.from(a.slice(0, n))
          const y = Float32Array.from(b.slice(0, n))
          let naive = 0
          for (let i = 0; i < n; i++) if (x[i]! > 0 !== y[i]! > 0) naive++
          return hamming(signBits(x), 0, signBits(y), Math.ceil(n / 32)) === naive
        }
      )
    )
  })

  it('returns exactly the `count` nearest codes, whatever the ties (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 1, max: 50 }),
        (codes, query, count) => {
          const index = createSignIndex(1)
          codes.forEach((code, id) => index.add(id, Uint32Array.of(code)))
          const found = index.nearest(Uint32Array.of(query), count)
          const distance = (id: number): number => hamming(Uint32Array.of(codes[id]!), 0, Uint32Array.of(query), 1)
          const worstFound = Math.max(...found.map(distance))
          const outside = codes.map((_, id) => id).filter((id) => !found.includes(id))
          return (
            found.length === Math.min(count, codes.length) &&
            new Set(found).size === found.length &&
            outside.every((id) => distance(id) >= worstFound)
          )
        }
      )
    )
  })
})
