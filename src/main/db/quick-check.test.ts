import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { openDatabase } from './database'
import { quickCheck } from './quick-check'

const tempDir = useTempDirs()

describe('quick_check', () => {
  it('says ok for a consistent database while this connection writes on', async () => {
    const dir = tempDir()
    const db = openDatabase(join(dir, 'kos.db'))
    db.exec('CREATE TABLE notes (body TEXT); CREATE INDEX notes_body ON notes (body)')
    const insert = db.prepare('INSERT INTO notes VALUES (?)')
    for (let i = 0; i < 1000; i++) insert.run(`note ${i}`)
    const checking = quickCheck(db, { limit: 20, signal: new AbortController().signal })
    for (let i = 0; i < 1000; i++) insert.run(`later note ${i}`)
    expect(await checking).toEqual({ ok: true, problems: [] })
    db.close()
  })
})
