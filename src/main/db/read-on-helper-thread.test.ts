import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { openDatabase } from './database'
import { readOnHelperThread } from './read-on-helper-thread'

const tempDir = useTempDirs()

/**
 * A driver standing in for better-sqlite3 in the worker: its statements answer where they ran and how the file was
 * opened, or never answer (the thread blocks, as a check of a huge file would).
 */
function fakeDriver(dir: string, answer: 'where' | 'block'): string {
  const file = join(dir, `fake-driver-${answer}.cjs`)
  writeFileSync(
    file,
    `const { isMainThread } = require('node:worker_threads')
module.exports = class {
  constructor(file, options) { this.options = options }
  prepare(sql) {
    return {
      all: () => {
        ${answer === 'block' ? 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)' : ''}
        return [{ sql, where: (isMainThread ? 'main thread' : 'worker thread') + (this.options.readonly ? ', read-only' : ', read-write') }]
      }
    }
  }
  close() {}
}`
  )
  return file
}

describe('reading on a helper thread', () => {
  it('runs each statement on a worker thread with a read-only connection of its own', async () => {
    const dir = tempDir()
    const db = openDatabase(join(dir, 'kos.db'))
    const read = await readOnHelperThread(db, {
      statements: ['PRAGMA quick_check(20)', 'SELECT 1'],
      signal: new AbortController().signal,
      driver: fakeDriver(dir, 'where')
    })
    expect(read).toEqual({
      ok: true,
      rows: [
        [{ sql: 'PRAGMA quick_check(20)', where: 'worker thread, read-only' }],
        [{ sql: 'SELECT 1', where: 'worker thread, read-only' }]
      ]
    })
    db.close()
  })

  it('reads a committed state while this connection writes on', async () => {
    const dir = tempDir()
    const db = openDatabase(join(dir, 'kos.db'))
    db.exec('CREATE TABLE notes (body TEXT)')
    const insert = db.prepare('INSERT INTO notes VALUES (?)')
    for (let i = 0; i < 1000; i++) insert.run(`note ${i}`)
    const reading = readOnHelperThread(db, {
      statements: ['SELECT count(*) AS n FROM notes'],
      signal: new AbortController().signal
    })
    for (let i = 0; i < 1000; i++) insert.run(`later note ${i}`)
    const read = await reading
    expect(read.ok).toBe(true)
    // Each insert commits alone: the count is whichever commit the read began after, never a torn one.
    const n = read.ok ? (read.rows[0]?.[0] as { n: number }).n : 0
    expect(n).toBeGreaterThanOrEqual(1000)
    expect(n).toBeLessThanOrEqual(2000)
    db.close()
  })

  it('says why when a statement fails, naming what SQLite said', async () => {
    const dir = tempDir()
    const db = openDatabase(join(dir, 'kos.db'))
    const read = await readOnHelperThread(db, {
      statements: ['SELECT * FROM no_such_table'],
      signal: new AbortController().signal
    })
    expect(read).toEqual({ ok: false, message: 'no such table: no_such_table' })
    db.close()
  })

  it('stops a read that does not answer when aborted, and says so', async () => {
    const dir = tempDir()
    const db = openDatabase(join(dir, 'kos.db'))
    const abort = new AbortController()
    const reading = readOnHelperThread(db, {
      statements: ['PRAGMA quick_check(20)'],
      signal: abort.signal,
      driver: fakeDriver(dir, 'block')
    })
    abort.abort()
    expect(await reading).toEqual({ ok: false, message: 'stopped before it finished' })
    db.close()
  })
})
