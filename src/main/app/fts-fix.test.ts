import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ChecklistRun } from '../../shared/contract/checklist-contract'
import type { KnowledgeSearchOutput } from '../../shared/contract/knowledge-contract'
import { FTS_TABLE } from '../knowledge/full-text-index'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const FULL = { scopes: new Set(['read', 'write'] as const), transport: 'ipc' as const }

describe('the checklist on a damaged full-text index', () => {
  it('finds it, and its one-click fix backs the database up and rebuilds the index from the chunks', async () => {
    const dir = tempDir()
    const core = startTestCore(dir)
    try {
      for (let i = 0; i < 5; i++) {
        const added = await core.dispatcher.call(
          'knowledge.addText',
          { title: `Note ${i}`, content: `Offsite backup tape rotation, week ${i}.` },
          FULL
        )
        expect(added.ok).toBe(true)
      }
      // The run the core starts with is over before the damage is done.
      expect((await core.dispatcher.call('checklist.run', {}, FULL)).ok).toBe(true)
      // Index blocks lost, as a bad sector or a torn write would leave them; the chunks themselves are intact.
      core.db.unsafeMode(true)
      core.db.prepare(`DELETE FROM ${FTS_TABLE}_data WHERE id > 10`).run()
      core.db.unsafeMode(false)

      const run = await core.dispatcher.call('checklist.run', {}, FULL)
      if (!run.ok) throw new Error(run.error.message)
      const found = (run.value as ChecklistRun).results.find((r) => r.id === 'knowledge.fts-integrity')
      expect(found).toMatchObject({ status: 'fail', fix: 'rebuild-search-index' })

      const fixed = await core.dispatcher.call('checklist.fix', { fix: 'rebuild-search-index' }, FULL)
      if (!fixed.ok) throw new Error(fixed.error.message)
      const { message, run: after } = fixed.value as { message: string; run: ChecklistRun }
      expect(message).toMatch(
        /^The full-text index was rebuilt from 5 stored chunks; the database as it was is in .+before-fts-rebuild\.db\.$/
      )
      expect(after.results.find((r) => r.id === 'knowledge.fts-integrity')).toMatchObject({ status: 'pass' })
      expect(readdirSync(join(dir, 'backups'))).toHaveLength(1)

      const search = await core.dispatcher.call('knowledge.search', { query: 'tape rotation' }, FULL)
      expect(search).toMatchObject({ ok: true, value: { hits: expect.arrayContaining([expect.anything()]) } })
      if (search.ok) expect((search.value as KnowledgeSearchOutput).hits).toHaveLength(5)
    } finally {
      await core.close()
    }
  })
})
