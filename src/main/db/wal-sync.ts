import { closeSync, fsync, openSync } from 'node:fs'
import type { Db } from './database'
import type { WalCheckpoints } from './wal-checkpoints'

/**
 * Commits whose flush to disk happens off the event loop. A transaction run
 * through `commitUnflushed` commits with synchronous=NORMAL: its WAL frames
 * are written but not yet flushed. `whenDurable` then fsyncs the WAL on
 * libuv's thread pool and calls back once everything committed before the
 * call is on disk. That is the guarantee synchronous=FULL gives at COMMIT,
 * without the main thread waiting for the disk, so the next group is built
 * while the disk works. Callers acknowledge nothing before the callback.
 *
 * On a connection already set below FULL (or in memory) nothing stronger
 * was asked for: transactions run as they are and the callback comes at once.
 */
export interface WalSync {
  commitUnflushed<T>(transaction: () => T): T
  whenDurable(done: (error: Error | null) => void): void
  close(): Promise<void>
}

const FULL = 2

type Fsync = (fd: number, done: (error: Error | null) => void) => void

/**
 * `flushFile` is node's fsync; tests hold its callback to see what waits for it. With `checkpoints`, each
 * commit is counted towards the next checkpoint on their worker (wal-checkpoints.ts).
 */
export function createWalSync(db: Db, flushFile: Fsync = fsync, checkpoints: WalCheckpoints | null = null): WalSync {
  const flushes = !db.memory && db.pragma('synchronous', { simple: true }) === FULL
  let fd: number | null = null
  let flushing = false
  let waiting: ((error: Error | null) => void)[] = []
  let closed = false

  function release(): void {
    if (fd !== null) closeSync(fd)
    fd = null
  }

  function flush(): void {
    const batch = waiting
    waiting = []
    flushing = true
    try {
      // Opened on first use: the WAL file exists once a transaction has written to it.
      fd ??= openSync(`${db.name}-wal`, 'r')
    } catch (error) {
      flushing = false
      for (const done of batch) done(error as Error)
      return
    }
    flushFile(fd, (error) => {
      flushing = false
      for (const done of batch) done(error)
      // Commits made while this flush ran may have written after it began: they wait for the next one.
      if (waiting.length > 0) flush()
      else if (closed) release()
    })
  }

  return {
    commitUnflushed<T>(transaction: () => T): T {
      if (!flushes) return transaction()
      db.pragma('synchronous = NORMAL')
      try {
        return transaction()
      } finally {
        db.pragma('synchronous = FULL')
        checkpoints?.nudge()
      }
    },
    whenDurable(done: (error: Error | null) => void): void {
      if (!flushes) return done(null)
      waiting.push(done)
      if (!flushing) flush()
    },
    /** Lets a flush under way finish first; resolves once the checkpoint worker, if any, has stopped. */
    close(): Promise<void> {
      closed = true
      if (!flushing) release()
      return checkpoints?.close() ?? Promise.resolve()
    }
  }
}
