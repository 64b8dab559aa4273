import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { buildFtsQuery } from './fts-query'
import { createKnowledgeStore } from './knowledge-store'
import { backfillStems } from './stems-backfill'
import { testDb } from './test-support/test-kit'

const tempDir = useTempDirs()

describe('Russian stems backfill', () => {
  it('gives chunks stored before the stems were indexed their stems, batch by batch, then removes its marker', () => {
    const db = testDb(tempDir())
    const store = createKnowledgeStore(db)
    for (let i = 0; i < 5; i++)
      store.insert({ title: `doc ${i}`, content: 'x', domain: null, source: null }, [
        { text: `резервные копии базы ${i}`, tokens: 3 },
        { text: `english only ${i}`, tokens: 2 }
      ])
    // As a database migrated from before: no stems, and the marker the migration leaves.
    db.exec(
      "UPDATE knowledge_chunks SET stems = ''; DROP TABLE IF EXISTS knowledge_stems_backfill; CREATE TABLE knowledge_stems_backfill (next_id INTEGER NOT NULL) STRICT; INSERT INTO knowledge_stems_backfill VALUES (0);"
    )
    const found = (): number => store.lexical(buildFtsQuery('базой', 'snowball').match!, 50, {}).length
    expect(found()).toBe(0)
    let batches = 0
    while (backfillStems(db, 3)) batches++
    expect(batches).toBe(3)
    expect(found()).toBe(5)
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'knowledge_stems_backfill'").pluck().get()).toBe(
      0
    )
    expect(backfillStems(db)).toBe(false)
    db.close()
  })
})
