import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { openDatabase } from './database'
import { quickCheck } from './quick-check'

const tempDir = useTempDirs()

/**
 * A driver standing in for better-sqlite3 in the worker: its quick_check answers where it ran and how the file was
 * opened, or never answers (the thread blocks, as a check of a huge file would).
 */
function fakeDriver(dir: string, pragma: 'where' | 'block'): string {
  const file = join(dir, `fake-driver-${pragma}.cjs`)
  writeFileSync(
    file,
    `const { isMainThread } = require('node:worker_threads')
module.exports = class {
  constructor(file, options) { this.options = options }
  pragma() {
    ${pragma === 'block' ? 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)' : ''}
    return [{ quick_check: (isMainThread ? 'main thread' : 'worker thread') + (this.options.readonly ? ', read-only' : ', read-write') }]
  }
  close() {}
}`
  )
  return file
}

describe('quick_check', () => {
  it('runs on a worker thread with a read-only connection of its own', async () => {
    const dir = tempDir()
    const db = openDatabase(join(dir, 'kos.db'))
    const checked = await quickCheck(db, {
      limit: 20,
      signal: new AbortController().signal,
      driver: fakeDriver(dir, 'where')
    })
    expect(checked).toEqual({ ok: true, problems: ['worker thread, read-only'] })
    db.close()
  })

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

  it('stops a check that does not answer when aborted, and says so', async () => {
    const dir = tempDir()
    const db = openDatabase(join(dir, 'kos.db'))
    const abort = new AbortController()
    const checking = quickCheck(db, { limit: 20, signal: abort.signal, driver: fakeDriver(dir, 'block') })
    abort.abort()
    expect(await checking).toEqual({ ok: false, message: 'stopped before it finished' })
    db.close()
  })
})
