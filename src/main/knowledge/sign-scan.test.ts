import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hamming } from './sign-bits'
import { createScanArena } from './sign-scan'

const word = fc.nat(0xffffffff)

/** The `keep` slots nearest by the first `words` words, ties to the lower slot: what the scan must return. */
function bruteForce(codes: readonly number[][], query: Uint32Array, words: number, keep: number): number[] {
  return codes
    .map((code, slot) => ({ slot, distance: hamming(Uint32Array.from(code), 0, query, words) }))
    .sort((a, b) => a.distance - b.distance || a.slot - b.slot)
    .slice(0, keep)
    .map((e) => e.slot)
    .sort((a, b) => a - b)
}

describe('the WebAssembly sign scan', () => {
  it('returns the `keep` nearest slots by prefix or whole code, as a brute-force count does, ties and duplicates included (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).chain((words) =>
          fc.record({
            words: fc.constant(words),
            prefixWords: fc.integer({ min: 1, max: words }),
            // Few distinct words, so equal codes and equal distances are common.
            codes: fc.array(
              fc.array(fc.oneof(word, fc.constantFrom(0, 1, 0xffffffff)), { minLength: words, maxLength: words }),
              {
                minLength: 1,
                maxLength: 60
              }
            ),
            query: fc.array(word, { minLength: words, maxLength: words }),
            keep: fc.integer({ min: 0, max: 70 }),
            spare: fc.integer({ min: 0, max: 5 })
          })
        ),
        ({ words, prefixWords, codes, query, keep, spare }) => {
          const arena = createScanArena(codes.length + spare, words, prefixWords)
          codes.forEach((code, slot) => {
            arena.codes.set(code, slot * words)
            arena.prefix.set(code.slice(0, prefixWords), slot * prefixWords)
          })
          const q = Uint32Array.from(query)
          expect([...arena.nearest(q, codes.length, keep, 'code')]).toEqual(bruteForce(codes, q, words, keep))
          expect([...arena.nearest(q, codes.length, keep, 'prefix')]).toEqual(bruteForce(codes, q, prefixWords, keep))
        }
      )
    )
  })

  it('scans codes of 8,192 bits (the longest a collection may have) and reads no slot past `count`', () => {
    const words = 256
    const arena = createScanArena(4, words, 8)
    arena.codes.fill(0xffffffff)
    // The fourth slot is the nearest code, but outside the three scanned.
    arena.codes.fill(0, 3 * words)
    const query = new Uint32Array(words)
    expect([...arena.nearest(query, 3, 2, 'code')]).toEqual([0, 1])
    expect([...arena.nearest(query, 4, 1, 'code')]).toEqual([3])
  })

  it('refuses a code longer than its query buffer, naming the length', () => {
    expect(() => createScanArena(1, 257, 8)).toThrow(/257 words/)
  })

  it('refuses more codes than one WebAssembly memory holds, naming the count, the size and what to do', () => {
    expect(() => createScanArena(40_000_000, 24, 8)).toThrow(
      /40000000 vectors of 768 dimensions need \d+ MiB of scan memory, more than the 4 GiB.*fewer dimensions/
    )
  })
})
