import { describe, expect, it } from 'vitest'
import { buildFtsQuery } from './fts-query'

describe('buildFtsQuery', () => {
  it('quotes every word and ORs them, so no character is read as FTS syntax', () => {
    expect(buildFtsQuery('WAL "mode" AND NOT (x*) ^y: -z')).toEqual({
      match: '"wal" OR "mode" OR "x" OR "y" OR "z"',
      terms: ['"wal"', '"mode"', '"x"', '"y"', '"z"'],
      highlight: ['wal', 'mode', 'x', 'y', 'z']
    })
  })

  it('adds a prefix term for a Cyrillic word, without its ending', () => {
    expect(buildFtsQuery('копии базы знаний')).toEqual({
      match: '"копии" OR "копи"* OR "базы" OR "баз"* OR "знаний" OR "знан"*',
      terms: ['"копии" OR "копи"*', '"базы" OR "баз"*', '"знаний" OR "знан"*'],
      highlight: ['копи', 'баз', 'знан']
    })
  })

  it('leaves out English and Russian stop words when the query has a word with a topic, and keeps them when it has none', () => {
    expect(buildFtsQuery('How do we run backups and restore them?').highlight).toEqual(['run', 'backups', 'restore'])
    expect(buildFtsQuery('как мы делаем копии и где они', 'snowball').highlight).toEqual(['дела', 'коп'])
    expect(buildFtsQuery('to be or not to be').highlight).toEqual(['to', 'be', 'or', 'not'])
  })

  it('gives no expression for a query without words, NUL bytes and quotes included', () => {
    for (const query of ['', '"', "'\"'", '\u0000', '*()^:', '   ']) expect(buildFtsQuery(query).match).toBeNull()
  })

  it('keeps at most 32 distinct terms', () => {
    const query = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')
    expect(buildFtsQuery(query).highlight).toHaveLength(32)
  })
})

describe('buildFtsQuery with Snowball stems', () => {
  it('looks a Russian word up as itself and by its stem in the stems column, and leaves other words alone', () => {
    expect(buildFtsQuery('базой данных backup', 'snowball')).toEqual({
      match: '"базой" OR stems : "баз" OR "данных" OR stems : "дан" OR "backup"',
      terms: ['"базой" OR stems : "баз"', '"данных" OR stems : "дан"', '"backup"'],
      highlight: ['баз', 'дан', 'backup']
    })
  })
})
