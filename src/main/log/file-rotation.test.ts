import { readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { rotateFolder, type RotationPolicy } from './file-rotation'

const tempDir = useTempDirs()
const NOW = new Date('2026-11-24T12:00:00Z')
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000)

function file(dir: string, name: string, content: string, age: number): void {
  writeFileSync(join(dir, name), content)
  utimesSync(join(dir, name), daysAgo(age), daysAgo(age))
}

const policy: RotationPolicy = { keepNewest: 3, compressAfterDays: 7, warnBytes: 10_000, activeNames: ['kos.log'] }

describe('file rotation', () => {
  it('gzips files older than a week into archives named by their last write, keeping their content', async () => {
    const dir = tempDir()
    file(dir, 'kos.log', 'current', 30)
    file(dir, 'kos.1.log', 'recent', 2)
    file(dir, 'kos.2.log', 'old lines', 9)
    const report = await rotateFolder(dir, policy, NOW)
    expect(report.compressed).toEqual(['kos-20261115T120000Z.log.gz'])
    expect(readdirSync(dir).sort()).toEqual(['kos-20261115T120000Z.log.gz', 'kos.1.log', 'kos.log'])
    expect(gunzipSync(readFileSync(join(dir, 'kos-20261115T120000Z.log.gz'))).toString()).toBe('old lines')
    expect(statSync(join(dir, 'kos-20261115T120000Z.log.gz')).mtime.toISOString()).toBe(daysAgo(9).toISOString())
  })

  it('keeps only the newest files, never the active log, and reports the total against the bound', async () => {
    const dir = tempDir()
    file(dir, 'kos.log', 'x'.repeat(9000), 40)
    for (let i = 1; i <= 5; i++) file(dir, `report-${i}.md`, 'y'.repeat(500), i)
    const report = await rotateFolder(dir, policy, NOW)
    expect([...report.deleted].sort()).toEqual(['report-4.md', 'report-5.md'])
    expect(readdirSync(dir).sort()).toEqual(['kos.log', 'report-1.md', 'report-2.md', 'report-3.md'])
    expect(report).toMatchObject({ totalBytes: 10_500, overBound: true })
  })

  it('never touches database files', async () => {
    const dir = tempDir()
    for (const name of ['kos.db', 'kos.db-wal', 'kos.db-shm', 'kos.db-held']) file(dir, name, 'data', 60)
    const report = await rotateFolder(dir, { ...policy, keepNewest: 0 }, NOW)
    expect(report.deleted).toEqual([])
    expect(report.compressed).toEqual([])
    expect(readdirSync(dir).sort()).toEqual(['kos.db', 'kos.db-held', 'kos.db-shm', 'kos.db-wal'])
  })

  it('treats a missing folder as empty', async () => {
    expect(await rotateFolder(join(tempDir(), 'none'), policy, NOW)).toMatchObject({
      compressed: [],
      deleted: [],
      totalBytes: 0
    })
  })
})
