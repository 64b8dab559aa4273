import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../log/logger'
import { memoryLogger, type LogRecord } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import { openDatabase, type Db } from './database'
import { createWalCheckpoints, type CheckpointResult } from './wal-checkpoints'
import { createWalSync } from './wal-sync'

describe('WAL checkpoints on a worker thread', () => {
  const tempDir = useTempDirs()
  const dbs: Db[] = []
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close()
  })

  function open(): Db {
    const db = openDatabase(join(tempDir(), 'kos.db'))
    db.exec('CREATE TABLE t (v BLOB)')
    dbs.push(db)
    return db
  }

  it('copies the WAL into the database off the committing connection, which checkpoints only as a backstop meanwhile', async () => {
    const db = open()
    const { logger } = memoryLogger()
    const done: CheckpointResult[] = []
    let told: () => void = () => undefined
    const checkpointed = new Promise<void>((resolve) => (told = resolve))
    const checkpoints = createWalCheckpoints(db, logger, {
      onCheckpoint: (result) => {
        done.push(result)
        told()
      }
    })
    const wal = createWalSync(db, undefined, checkpoints)
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(8_000)
    const insert = db.prepare('INSERT INTO t VALUES (randomblob(2000))')
    for (let i = 0; i < 64; i++) wal.commitUnflushed(() => db.transaction(() => insert.run()).immediate())
    await checkpointed
    expect(done[0]?.log).toBeGreaterThan(0)
    expect(done[0]?.checkpointed).toBe(done[0]?.log)
    await wal.close()
    // Closed, the connection checkpoints on its own again.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000)
  })

  it('gives the checkpoints back to the committing connection when its worker cannot start', async () => {
    const db = open()
    const records: LogRecord[] = []
    let warned: () => void = () => undefined
    const warning = new Promise<void>((resolve) => (warned = resolve))
    const { logger } = createLogger(
      {
        write: (line) => {
          records.push(JSON.parse(line) as LogRecord)
          warned()
        }
      },
      'warn'
    )
    const checkpoints = createWalCheckpoints(db, logger, { driver: join(tempDir(), 'no-such-driver.js') })
    await warning
    expect(records[0]?.msg).toBe('WAL checkpoints run on the event loop again: their worker failed')
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000)
    // Nudges after that change nothing and closing is quiet.
    for (let i = 0; i < 100; i++) checkpoints?.nudge()
    await checkpoints?.close()
  })

  it('starts no worker for a database in memory', () => {
    const db = openDatabase(':memory:')
    dbs.push(db)
    expect(createWalCheckpoints(db, memoryLogger().logger)).toBeNull()
  })
})
