import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { openDatabase, type Db } from './database'
import { createWalSync } from './wal-sync'

describe('WAL sync off the event loop', () => {
  const tempDir = useTempDirs()

  function open(): Db {
    const db = openDatabase(join(tempDir(), 'kos.db'))
    db.exec('CREATE TABLE t (v INTEGER)')
    return db
  }

  /** An fsync whose completions the test releases one at a time. */
  function heldFsync() {
    const pending: ((error: Error | null) => void)[] = []
    return { pending, fsync: (_fd: number, done: (error: Error | null) => void) => void pending.push(done) }
  }

  it('commits without flushing, then puts the connection back to synchronous=FULL', () => {
    const db = open()
    const wal = createWalSync(db)
    const inside = wal.commitUnflushed(() =>
      db
        .transaction(() => {
          db.prepare('INSERT INTO t VALUES (1)').run()
          return db.pragma('synchronous', { simple: true })
        })
        .immediate()
    )
    expect(inside).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 })
    wal.close()
    db.close()
  })

  it('calls back only after the WAL is flushed, and a commit made during a flush waits for the next one', () => {
    const db = open()
    const held = heldFsync()
    const wal = createWalSync(db, held.fsync)
    const told: string[] = []
    wal.commitUnflushed(() => db.prepare('INSERT INTO t VALUES (1)').run())
    wal.whenDurable(() => told.push('first'))
    expect(told).toEqual([])
    wal.commitUnflushed(() => db.prepare('INSERT INTO t VALUES (2)').run())
    wal.whenDurable(() => told.push('second'))
    expect(held.pending).toHaveLength(1)
    held.pending.shift()?.(null)
    expect(told).toEqual(['first'])
    expect(held.pending).toHaveLength(1)
    held.pending.shift()?.(null)
    expect(told).toEqual(['first', 'second'])
    wal.close()
    db.close()
  })

  it('tells those waiting on a failed flush its error, and flushes again for those who came after', () => {
    const db = open()
    const held = heldFsync()
    const wal = createWalSync(db, held.fsync)
    wal.commitUnflushed(() => db.prepare('INSERT INTO t VALUES (1)').run())
    const told: (string | null)[] = []
    wal.whenDurable((error) => told.push(error?.message ?? null))
    wal.whenDurable((error) => told.push(error?.message ?? null))
    held.pending.shift()?.(new Error('EIO: i/o error, fsync'))
    expect(told).toEqual(['EIO: i/o error, fsync'])
    held.pending.shift()?.(null)
    expect(told).toEqual(['EIO: i/o error, fsync', null])
    wal.close()
    db.close()
  })

  it('asks nothing more of a connection set below FULL, or in memory', () => {
    for (const db of [openDatabase(':memory:'), open()]) {
      if (!db.memory) db.pragma('synchronous = NORMAL')
      const wal = createWalSync(db, () => {
        throw new Error('no flush should be made')
      })
      let told = false
      wal.commitUnflushed(() => undefined)
      wal.whenDurable(() => (told = true))
      expect(told).toBe(true)
      expect(db.pragma('synchronous', { simple: true })).toBe(db.memory ? 2 : 1)
      wal.close()
      db.close()
    }
  })
})
