import { expect, it, vi } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { useKnowledgeKits } from './test-support/test-kit'

const kit = useKnowledgeKits()
const tempDir = useTempDirs()

it('merges the full-text index after a start in the background, and the notes added one by one are still found', async () => {
  const dir = tempDir()
  const first = kit({}, dir)
  for (let n = 0; n < 120; n++)
    await first.knowledge.service.addText({ title: `Note ${n}`, content: `note ${n} on backups and word${n}` })
  const segments = (): number =>
    first.db.prepare('SELECT count(DISTINCT segid) FROM knowledge_chunks_fts_idx').pluck().get() as number
  expect(segments()).toBeGreaterThan(4)
  await first.knowledge.stop?.()
  first.db.close()

  const again = kit({}, dir)
  const count = (): number =>
    again.db.prepare('SELECT count(DISTINCT segid) FROM knowledge_chunks_fts_idx').pluck().get() as number
  await vi.waitFor(() => expect(count()).toBe(1))
  const found = await again.knowledge.service.search({ query: 'word77' })
  expect(found.hits.map((h) => h.node.title)).toEqual(['Note 77'])
})
