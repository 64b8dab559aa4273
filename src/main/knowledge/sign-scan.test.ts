import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hamming } from './sign-bits'
import { createScanArena } from './sign-scan'

const word = fc.nat(0xffffffff)

describe('the WebAssembly sign scan', () => {
  it('gives every code the Hamming distance the JavaScript count gives, for odd and even code lengths (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).chain((words) =>
          fc.record({
            words: fc.constant(words),
            prefixWords: fc.integer({ min: 1, max: words }),
            codes: fc.array(fc.array(word, { minLength: words, maxLength: words }), { minLength: 1, maxLength: 60 }),
            query: fc.array(word, { minLength: words, maxLength: words })
          })
        ),
        ({ words, prefixWords, codes, query }) => {
          const arena = createScanArena(codes.length, words, prefixWords)
          codes.forEach((code, slot) => {
            arena.codes.set(code, slot * words)
            arena.prefix.set(code.slice(0, prefixWords), slot * prefixWords)
          })
          const q = Uint32Array.from(query)
          arena.scanCodes(q, codes.length)
          const whole = [...arena.distances]
          arena.scanPrefix(q, codes.length)
          const prefixes = [...arena.distances]
          codes.forEach((code, slot) => {
            const c = Uint32Array.from(code)
            expect(whole[slot]).toBe(hamming(c, 0, q, words))
            expect(prefixes[slot]).toBe(hamming(c, 0, q, prefixWords))
          })
        }
      )
    )
  })

  it('counts all 8,192 bits of the longest code a collection may have, and writes no distance past `count`', () => {
    const words = 256
    const arena = createScanArena(4, words, 8)
    arena.codes.fill(0xffffffff)
    arena.distances.fill(7)
    arena.scanCodes(new Uint32Array(words), 3)
    expect([...arena.distances]).toEqual([8192, 8192, 8192, 7])
  })

  it('refuses a code longer than its query buffer, naming the length', () => {
    expect(() => createScanArena(1, 257, 8)).toThrow(/257 words/)
  })
})
