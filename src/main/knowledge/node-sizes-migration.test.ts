import { expect, it } from 'vitest'
import { migrate } from '../db/migrations'
import { databaseBefore } from '../db/testing/database-before'
import { useTempDirs } from '../test-support/temp-dir'
import { createKnowledgeStore } from './knowledge-store'

const tempDir = useTempDirs()

it('gives the nodes stored before it their size in characters and chunk count, which the store then keeps through adds and replacements', () => {
  const { db, version, all } = databaseBefore(tempDir(), 'knowledge_node_sizes')
  expect(version).toBe(25)
  // Cyrillic and an emoji: SQLite's length() counts characters, as the summaries always did.
  db.prepare(
    `INSERT INTO knowledge_nodes (id, title, content, domain, source, content_hash, created_at, updated_at)
     VALUES ('a', 'A', 'база 🙂', NULL, 'a.md', 'h', 't', 't'), ('b', 'B', '', NULL, NULL, 'h2', 't', 't')`
  ).run()
  db.prepare(
    "INSERT INTO knowledge_chunks (node_id, ordinal, text, token_count) VALUES ('a', 0, 'база', 1), ('a', 1, '🙂', 1)"
  ).run()

  expect(migrate(db, all)).toMatchObject({ ok: true })
  const store = createKnowledgeStore(db)
  expect(store.get('a')).toMatchObject({ chars: 6, chunkCount: 2 })
  expect(store.get('b')).toMatchObject({ chars: 0, chunkCount: 0 })

  const added = store.insert({ title: 'C', content: 'три слова здесь', domain: null, source: null }, [
    { text: 'три', tokens: 1 },
    { text: 'слова', tokens: 1 },
    { text: 'здесь', tokens: 1 }
  ])
  expect(added).toMatchObject({ chars: 15, chunkCount: 3 })
  const replaced = store.upsertBySource({ title: 'A', content: 'новое', domain: null, source: 'a.md' }, [
    { text: 'новое', tokens: 1 }
  ])
  expect(replaced).toMatchObject({ outcome: 'updated', node: { chars: 5, chunkCount: 1 } })
  expect(store.summaries(['a', added.id]).get('a')).toMatchObject({ chars: 5, chunkCount: 1 })
  db.close()
})
