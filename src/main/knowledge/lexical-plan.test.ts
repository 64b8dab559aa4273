import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { buildFtsQuery } from './fts-query'
import { createKnowledgeStore, type KnowledgeStore } from './knowledge-store'
import { planLexical, searchLexical } from './lexical-plan'
import { testDb } from './test-support/test-kit'

const tempDir = useTempDirs()
const limits = { commonMatches: 10 }

describe('planLexical', () => {
  it('leaves out exactly the words matching more than the cap while a rarer one remains, and ANDs them all when none does (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(30), { minLength: 1, maxLength: 8 }), (counts) => {
        const terms = counts.map((_, i) => `"w${i}"`)
        const asked: number[] = []
        const plan = planLexical({ terms }, (match, cap) => {
          asked.push(cap)
          return Math.min(cap, counts[terms.indexOf(match)]!)
        })
        // No count goes past the cap plus one: the check's cost is bounded whatever the word.
        expect(asked.every((cap) => cap === limits.commonMatches + 1 || cap === 5001)).toBe(true)
        const rare = terms.filter((_, i) => counts[i]! <= 5000)
        expect(plan).toEqual({ kind: 'ranked', match: rare.join(' OR ') })
        const small = planLexical({ terms }, (match, cap) => Math.min(cap, counts[terms.indexOf(match)]!), limits)
        const fewer = terms.filter((_, i) => counts[i]! <= limits.commonMatches)
        expect(small).toEqual(
          fewer.length > 0
            ? { kind: 'ranked', match: fewer.join(' OR ') }
            : { kind: 'newest', match: terms.map((t) => `(${t})`).join(' AND ') }
        )
      })
    )
  })

  it('plans nothing for a query without words', () => {
    expect(planLexical(buildFtsQuery('  "* '), () => 0)).toEqual({ kind: 'none' })
  })
})

describe('searchLexical at the common-word bounds', () => {
  /** 40 chunks hold "common" and "often"; chunks 3, 17 and 31 also hold "rare". */
  function seeded(): { store: KnowledgeStore; ids: number[] } {
    const db = testDb(tempDir())
    const store = createKnowledgeStore(db)
    for (let i = 0; i < 40; i++)
      store.insert({ title: `n${i}`, content: 'x', domain: null, source: null }, [
        { text: `common often ${i % 14 === 3 ? 'rare' : 'plain'} note ${i}`, tokens: 5 }
      ])
    const ids = db.prepare('SELECT id FROM knowledge_chunks ORDER BY id').pluck().all() as number[]
    return { store, ids }
  }

  it('counts matches no further than the cap', () => {
    const { store } = seeded()
    expect(store.matchCount('"common"', 7)).toBe(7)
    expect(store.matchCount('"rare"', 7)).toBe(3)
    expect(store.matchCount('"absent"', 7)).toBe(0)
  })

  it('with a rarer word in the query, ranks the chunks holding it, which the common word no longer crowds out', () => {
    const { store, ids } = seeded()
    // Only the three: the 37 chunks that hold the common word alone are not scored at all.
    const hits = searchLexical(store, buildFtsQuery('common rare'), 50, {}, limits)
    expect(hits.map((h) => h.chunkId).sort((a, b) => a - b)).toEqual([ids[3], ids[17], ids[31]])
  })

  it('with common words only, lists the chunks holding all of them newest first, Russian stems included', () => {
    const { store, ids } = seeded()
    const hits = searchLexical(store, buildFtsQuery('often common', 'snowball'), 5, {}, limits)
    expect(hits.map((h) => h.chunkId)).toEqual(ids.slice(-5).reverse())
    expect(hits.every((h) => h.bm25 === 0)).toBe(true)
    for (let i = 0; i < 12; i++)
      store.insert({ title: `r${i}`, content: 'x', domain: null, source: null }, [
        { text: i % 2 ? `данные базы ${i}` : `базой данных ${i}`, tokens: 3 }
      ])
    // Each word is looked up with its stem in the stems column, inside the AND.
    const russian = searchLexical(store, buildFtsQuery('база данные', 'snowball'), 50, {}, limits)
    expect(russian).toHaveLength(12)
  })
})
