import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from '../db/database'
import { useTempDirs } from '../test-support/temp-dir'
import { createResponseCache, normalizePrompt, promptKey } from './response-cache'
import { testDb } from './test-support/test-kit'

const tempDir = useTempDirs()
const dbs: Db[] = []
afterEach(() => dbs.splice(0).forEach((db) => db.close()))

function setup(ttl = 60): {
  db: Db
  clock: { t: number }
  cache: ReturnType<typeof createResponseCache>
  ttl: { sec: number }
} {
  const db = testDb(tempDir())
  dbs.push(db)
  const clock = { t: Date.parse('2026-01-01T00:00:00Z') }
  const ttlBox = { sec: ttl }
  return {
    db,
    clock,
    ttl: ttlBox,
    cache: createResponseCache(db, { ttlSec: () => ttlBox.sec, now: () => new Date(clock.t) })
  }
}

const answer = { text: 'Forty-two.', model: 'ollama:qwen3', expert: null }

describe('response cache', () => {
  it('normalizes case and whitespace before hashing', () => {
    expect(normalizePrompt('  What IS\tthe\n\nAnswer? ')).toBe('what is the answer?')
    expect(promptKey('What is the answer?')).toBe(promptKey('what   is THE answer?'))
    expect(promptKey('what is the answer?')).not.toBe(promptKey('what is the question?'))
  })

  it('misses, then hits for the same prompt written differently, until the entry expires', () => {
    const { cache, clock } = setup()
    expect(cache.get('What is the answer?')).toEqual({ hit: false, reason: 'absent' })
    cache.put('What is the answer?', answer)
    expect(cache.get('  what is THE answer? ')).toEqual({ hit: true, value: answer })
    expect(cache.size()).toBe(1)
    clock.t += 61_000
    expect(cache.get('What is the answer?')).toEqual({ hit: false, reason: 'expired' })
    expect(cache.size()).toBe(0)
  })

  it('treats a corrupt or malformed entry as a miss, removes it, and never throws', () => {
    const { cache, db } = setup()
    const future = '2030-01-01T00:00:00.000Z'
    const insert = db.prepare(
      'INSERT INTO response_cache (key, prompt, payload, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'
    )
    insert.run(promptKey('a'), 'a', '{not json', future, future)
    insert.run(promptKey('b'), 'b', JSON.stringify({ text: 42 }), future, future)
    insert.run(promptKey('c'), 'c', JSON.stringify(answer), 'yesterday', 'not a date')
    expect(cache.get('a')).toEqual({ hit: false, reason: 'corrupt' })
    expect(cache.get('b')).toEqual({ hit: false, reason: 'corrupt' })
    expect(cache.get('c')).toEqual({ hit: false, reason: 'corrupt' })
    expect(db.prepare('SELECT count(*) AS n FROM response_cache').get()).toEqual({ n: 0 })
  })

  it('clears every entry, and stores nothing while its TTL is 0', () => {
    const { cache, ttl } = setup()
    cache.put('one', answer)
    cache.put('two', answer)
    expect(cache.clear()).toBe(2)
    expect(cache.get('one')).toEqual({ hit: false, reason: 'absent' })
    ttl.sec = 0
    cache.put('three', answer)
    expect(cache.get('three')).toEqual({ hit: false, reason: 'off' })
    ttl.sec = 60
    expect(cache.get('three')).toEqual({ hit: false, reason: 'absent' })
  })
})
