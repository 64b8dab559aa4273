import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mulberry32 } from './mulberry32'
import { hamming } from './sign-bits'
import { PREFIX_WORDS, SAMPLE_STEP, TWO_STAGE_MIN_WORDS, createScanArena, type ScanArena } from './sign-scan'

const word = fc.nat(0xffffffff)
/** Few distinct words, so equal codes and equal distances are common. */
const tieProneWord = fc.oneof(word, fc.constantFrom(0, 1, 0xffffffff))

/** Positions of the `keep` nearest of `distances`, ties to the lower position, in position order. */
function nearestPositions(distances: readonly number[], keep: number): number[] {
  return distances
    .map((distance, position) => ({ position, distance }))
    .sort((a, b) => a.distance - b.distance || a.position - b.position)
    .slice(0, keep)
    .map((e) => e.position)
    .sort((a, b) => a - b)
}

/** What the two-stage search must return: the `shortlist` nearest by the first PREFIX_WORDS words, then the `keep` nearest of those by the whole code. */
function twoStagesByBruteForce(
  codes: readonly Uint32Array[],
  query: Uint32Array,
  shortlist: number,
  keep: number
): number[] {
  const listed = nearestPositions(
    codes.map((code) => hamming(code, 0, query, PREFIX_WORDS)),
    shortlist
  )
  return nearestPositions(
    listed.map((slot) => hamming(codes[slot]!, 0, query, query.length)),
    keep
  ).map((i) => listed[i]!)
}

function arenaHolding(codes: readonly Uint32Array[], words: number, spare = 0): ScanArena {
  const arena = createScanArena(codes.length + spare, words)
  codes.forEach((code, slot) => arena.write(slot, code, 0))
  return arena
}

/** Up to `maxCodes` tie-prone codes of `minWords` to 40 words, a query, and a few slots to spare in their arena. */
function arenaDraw(
  minWords: number,
  maxCodes: number
): fc.Arbitrary<{ words: number; held: Uint32Array[]; q: Uint32Array; spare: number }> {
  return fc.integer({ min: minWords, max: 40 }).chain((words) => {
    const code = fc.array(tieProneWord, { minLength: words, maxLength: words }).map((c) => Uint32Array.from(c))
    return fc
      .tuple(fc.array(code, { minLength: 1, maxLength: maxCodes }), code, fc.integer({ min: 0, max: 5 }))
      .map(([held, q, spare]) => ({ words, held, q, spare }))
  })
}

describe('the WebAssembly sign scan', () => {
  it('returns the `keep` nearest slots by whole code, as a brute-force count does, ties and duplicates included (property)', () => {
    fc.assert(
      fc.property(arenaDraw(1, 60), fc.integer({ min: 0, max: 70 }), ({ words, held, q, spare }, keep) => {
        const arena = arenaHolding(held, words, spare)
        const expected = nearestPositions(
          held.map((c) => hamming(c, 0, q, words)),
          keep
        )
        expect([...arena.nearest(q, held.length, keep)]).toEqual(expected)
      })
    )
  })

  it('in two stages returns what a brute-force count of the prefixes, then of the whole codes, returns, ties and duplicates included (property)', () => {
    fc.assert(
      fc.property(
        // Up to a few hundred codes: the sample of one in SAMPLE_STEP then holds several, and can misjudge.
        arenaDraw(TWO_STAGE_MIN_WORDS, 400),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 130 }),
        ({ words, held, q, spare }, shortlist, keep) => {
          const arena = arenaHolding(held, words, spare)
          const expected = twoStagesByBruteForce(held, q, shortlist, keep)
          expect([...arena.nearestInTwoStages(q, held.length, shortlist, keep)]).toEqual(expected)
        }
      )
    )
  })

  /** Codes whose sampled slots differ from the query in a few bits and every other slot in many: the sample promises more near codes than there are. */
  const sampledNear = (count: number, seed: number): { query: Uint32Array; codes: Uint32Array[] } => {
    const random = mulberry32(seed)
    const below = (n: number): number => Math.floor(random() * n)
    const query = Uint32Array.from({ length: TWO_STAGE_MIN_WORDS }, () => below(2 ** 32))
    const codes = Array.from({ length: count }, (_, slot) => {
      const code = Uint32Array.from(query)
      const flips = slot % SAMPLE_STEP === 0 ? 1 + below(8) : 40 + below(60)
      for (let f = 0; f < flips; f++) code[below(PREFIX_WORDS)]! ^= 1 << below(32)
      return code
    })
    return { query, codes }
  }

  it('in two stages is exact when the sampled prefixes are nearer than the rest (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 3000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer(),
        (count, keep, shortlist, seed) => {
          const { query, codes } = sampledNear(count, seed)
          const arena = arenaHolding(codes, TWO_STAGE_MIN_WORDS)
          const expected = twoStagesByBruteForce(codes, query, shortlist, keep)
          expect([...arena.nearestInTwoStages(query, count, shortlist, keep)]).toEqual(expected)
        }
      ),
      { numRuns: 60 }
    )
  })

  it('in two stages scans again farther out when fewer than the shortlist lie within the distance the sample gave', () => {
    // 188 sampled codes lie within 8 bits of the query, and no other: a shortlist of 200 needs a second pass.
    const { query, codes } = sampledNear(3000, 7)
    const arena = arenaHolding(codes, TWO_STAGE_MIN_WORDS)
    expect([...arena.nearestInTwoStages(query, 3000, 200, 10)]).toEqual(twoStagesByBruteForce(codes, query, 200, 10))
    expect(arena.prefixPasses).toBeGreaterThan(1)
    // Codes the sample represents take one pass.
    const random = mulberry32(7)
    const uniform = Array.from({ length: 3000 }, () =>
      Uint32Array.from({ length: TWO_STAGE_MIN_WORDS }, () => Math.floor(random() * 2 ** 32))
    )
    const representative = arenaHolding(uniform, TWO_STAGE_MIN_WORDS)
    expect([...representative.nearestInTwoStages(query, 3000, 200, 10)]).toEqual(
      twoStagesByBruteForce(uniform, query, 200, 10)
    )
    expect(representative.prefixPasses).toBe(1)
  })

  it('in two stages, reads no slot past `count`', () => {
    const words = TWO_STAGE_MIN_WORDS
    const codes = Array.from({ length: 5 }, (_, slot) => new Uint32Array(words).fill(slot < 3 ? 0xffffffff : 0))
    const arena = arenaHolding(codes, words)
    const query = new Uint32Array(words)
    expect([...arena.nearestInTwoStages(query, 3, 2, 1)]).toEqual([0])
    expect([...arena.nearestInTwoStages(query, 5, 2, 1)]).toEqual([3])
    expect([...arena.nearestInTwoStages(query, 0, 2, 1)]).toEqual([])
  })

  it('keeps no prefix for codes shorter than two stages need, and refuses a two-stage search there, naming the length', () => {
    const arena = createScanArena(4, TWO_STAGE_MIN_WORDS - 1)
    expect(arena.prefixWords).toBe(0)
    expect(() => arena.nearestInTwoStages(new Uint32Array(TWO_STAGE_MIN_WORDS - 1), 4, 2, 1)).toThrow(
      /15 words are scanned whole: two stages need 16 words or more/
    )
  })

  it('scans codes of 8,192 bits (the longest a collection may have) and reads no slot past `count`', () => {
    const words = 256
    const arena = createScanArena(4, words)
    // The fourth slot is the nearest code, but outside the three scanned.
    const codes = new Uint32Array(4 * words).fill(0xffffffff).fill(0, 3 * words)
    arena.write(0, codes, 0, 4)
    const query = new Uint32Array(words)
    expect([...arena.nearest(query, 3, 2)]).toEqual([0, 1])
    expect([...arena.nearest(query, 4, 1)]).toEqual([3])
    expect([...arena.nearestInTwoStages(query, 4, 2, 1)]).toEqual([3])
  })

  it('refuses a write past its slots or past the codes given, naming both, instead of dropping codes', () => {
    const arena = createScanArena(4, TWO_STAGE_MIN_WORDS)
    const codes = new Uint32Array(3 * TWO_STAGE_MIN_WORDS)
    expect(() => arena.write(2, codes, 0, 3)).toThrow(/3 codes of 16 words from word 0 of 48 into slot 2 of 4/)
    expect(() => arena.write(0, codes, TWO_STAGE_MIN_WORDS, 3)).toThrow(/from word 16 of 48/)
    arena.write(1, codes, 0, 3)
  })

  it('refuses a code longer than its query buffer, naming the length', () => {
    expect(() => createScanArena(1, 257)).toThrow(/257 words/)
  })

  it('refuses more codes than one WebAssembly memory holds, naming the count, the size and what to do', () => {
    expect(() => createScanArena(40_000_000, 24)).toThrow(
      /40000000 vectors of 768 dimensions need \d+ MiB of scan memory, more than the 4 GiB.*fewer dimensions/
    )
  })
})
