import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { smallFsUnavailable } from '../test-support/small-fs'
import { useSmallFs } from '../test-support/use-small-fs'
import { useTempDirs } from '../test-support/temp-dir'
import { knowledgeKit } from './test-support/test-kit'

const tempDir = useTempDirs()
const smallFs = useSmallFs()
const noSmallFs = smallFsUnavailable()
if (noSmallFs) console.warn(`skipped: knowledge import onto a full disk (${noSmallFs})`)

describe('a knowledge import that fills the disk', () => {
  it.skipIf(noSmallFs)(
    'stops with the disk error and says how many files it imported; the next import adds the rest, nothing twice',
    async () => {
      const corpus = join(tempDir(), 'notes')
      mkdirSync(corpus)
      const FILES = 40
      // 40 notes of ~200 KB of distinct text: far more than the 6 MiB disk the database lives on.
      for (let i = 0; i < FILES; i++) {
        writeFileSync(
          join(corpus, `note-${String(i).padStart(2, '0')}.md`),
          Array.from({ length: 2000 }, (_, l) => `Line ${l} of note ${i} about rotation ${i * l}.`).join('\n')
        )
      }
      const fs = smallFs(6)
      const kit = knowledgeKit(fs.dir)

      const failed = await kit.knowledge.service.importFolder({ path: corpus }).then(
        () => null,
        (error: unknown) => error as { code?: string; detail?: string }
      )
      expect(failed?.code).toMatch(/^SQLITE_(FULL|IOERR)/)
      const imported = Number(
        /^(\d+) of 40 files of .+ were imported before this one failed; import the folder again to add the rest \(nothing is added twice\)\.$/.exec(
          failed?.detail ?? ''
        )?.[1]
      )
      expect(imported).toBeGreaterThan(0)
      expect(imported).toBeLessThan(FILES)
      const nodes = (): number => (kit.db.prepare('SELECT count(*) AS n FROM knowledge_nodes').get() as { n: number }).n
      // The file that failed was rolled back whole: no node without its chunks.
      expect(nodes()).toBe(imported)
      expect(
        (
          kit.db
            .prepare(
              'SELECT count(*) AS n FROM knowledge_nodes n WHERE NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.node_id = n.id)'
            )
            .get() as { n: number }
        ).n
      ).toBe(0)

      fs.resize(64)
      const report = await kit.knowledge.service.importFolder({ path: corpus })
      expect(report).toMatchObject({ added: FILES - imported, unchanged: imported, updated: 0, skipped: [] })
      expect(nodes()).toBe(FILES)
      expect(
        (
          kit.db
            .prepare(
              'SELECT count(*) AS n FROM (SELECT source FROM knowledge_nodes GROUP BY source HAVING count(*) > 1)'
            )
            .get() as { n: number }
        ).n
      ).toBe(0)
      await kit.knowledge.stop?.()
      kit.db.close()
    }
  )
})
