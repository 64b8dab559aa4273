import { expect, it, vi } from 'vitest'
import { migrate } from '../db/migrations'
import { databaseBefore } from '../db/testing/database-before'
import { useTempDirs } from '../test-support/temp-dir'
import { createKnowledgeStore } from './knowledge-store'

const tempDir = useTempDirs()

it('indexes the summaries of nodes stored before it, and a search reads them from that index alone while it follows every change', () => {
  const { db, version, all } = databaseBefore(tempDir(), 'knowledge_node_summaries')
  expect(version).toBe(27)
  // A document longer than a page: its summary's columns sit after it in the row.
  const long = 'слово '.repeat(2000)
  db.prepare(
    `INSERT INTO knowledge_nodes (id, title, content, domain, source, content_hash, created_at, updated_at, chars, chunk_count)
     VALUES ('a', 'A', ?, 'ops', 'a.md', 'h', 't1', 't2', ?, 1)`
  ).run(long, long.length)
  db.prepare("INSERT INTO knowledge_chunks (node_id, ordinal, text, token_count) VALUES ('a', 0, 'слово', 1)").run()

  expect(migrate(db, all)).toMatchObject({ ok: true })
  const store = createKnowledgeStore(db)
  const stored = store.get('a')!
  const summary = store.summaries(['a']).get('a')!
  expect({ ...summary, content: stored.content }).toEqual(stored)
  expect(summary).toMatchObject({ title: 'A', domain: 'ops', source: 'a.md', chars: 12_000, chunkCount: 1 })

  // The statement the store runs, explained: the index alone, not the row and its document's overflow pages.
  const prepare = vi.spyOn(db, 'prepare')
  store.summaries(['a'])
  const sql = prepare.mock.calls.at(-1)![0]
  prepare.mockRestore()
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('a') as { detail: string }[]
  expect(plan.map((p) => p.detail)).toEqual(['SEARCH n USING COVERING INDEX knowledge_nodes_summary (id=?)'])

  store.countUsage(['a'])
  store.upsertBySource({ title: 'A2', content: 'новое', domain: 'ops', source: 'a.md' }, [{ text: 'новое', tokens: 1 }])
  const added = store.insert({ title: 'B', content: 'b', domain: null, source: null }, [{ text: 'b', tokens: 1 }])
  const after = store.summaries(['a', added.id])
  expect(after.get('a')).toMatchObject({ title: 'A2', usageCount: 1, chars: 5, chunkCount: 1 })
  expect(after.get(added.id)).toEqual(added)
  store.delete('a')
  expect([...store.summaries(['a', added.id]).keys()]).toEqual([added.id])
  db.close()
})
