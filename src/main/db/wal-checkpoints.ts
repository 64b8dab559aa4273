import { Worker } from 'node:worker_threads'
import type { Logger } from '../log/logger'
import { helperConnection, type Db } from './database'

/**
 * WAL checkpoints run on a worker thread with a connection of its own, so
 * the one that commits never waits for them. Left to SQLite, the commit that
 * crosses 1,000 WAL pages copies them into the database and fsyncs it on the
 * event loop: 35–75 ms on this machine's disk, once every ~80 group commits
 * of quick tasks, stalling every claim of that group. The worker's
 * connection syncs as FULL, so a checkpoint is as safe against power loss as
 * SQLite's own.
 *
 * The committing connection keeps an automatic checkpoint, at BACKSTOP_PAGES
 * instead of 1,000: with the worker backfilling as it goes it has little to
 * copy, and it is what lets the WAL start over under a load that never
 * pauses (SQLite rewinds the WAL only when a write begins with every frame
 * already copied). If the worker cannot start or fails, the connection goes
 * back to its own setting and checkpoints as before.
 */
export interface WalCheckpoints {
  /** Told after each commit; every NUDGES_PER_CHECKPOINT commits, a checkpoint is asked for unless one is running. */
  nudge(): void
  /** Stops the worker once a checkpoint under way ends. */
  close(): Promise<void>
}

export interface CheckpointResult {
  /** Frames in the WAL, and how many of them are now in the database file. */
  readonly log: number
  readonly checkpointed: number
}

const NUDGES_PER_CHECKPOINT = 64
const BACKSTOP_PAGES = 8_000

// Plain JavaScript evaluated as the worker: no file of its own to bundle, and the same source under tests and the app.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true, timeout: 5000, ...workerData.options })
db.pragma('synchronous = FULL')
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close()
    parentPort.close()
    return
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ ok: true, log: result.log, checkpointed: result.checkpointed })
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String((error && error.message) || error) })
  }
})
`

export function createWalCheckpoints(
  db: Db,
  log: Logger,
  options: {
    /** The better-sqlite3 module the worker loads; the one this process uses unless a test says otherwise. */
    readonly driver?: string
    /** Told each checkpoint the worker made. */
    readonly onCheckpoint?: (result: CheckpointResult) => void
  } = {}
): WalCheckpoints | null {
  if (db.memory) return null
  const own = db.pragma('wal_autocheckpoint', { simple: true }) as number
  let worker: Worker | null
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: helperConnection(db, options.driver) })
  } catch (error) {
    log.warn('WAL checkpoints stay on the event loop: their worker could not start', { error })
    return null
  }
  let running = false
  let nudges = 0
  let exited: Promise<void> = new Promise((resolve) => worker?.once('exit', () => resolve()))
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)

  // Back to the connection's own checkpoints: whatever failed, commits keep the WAL from growing without end.
  function giveUp(error: unknown): void {
    if (!worker) return
    log.warn('WAL checkpoints run on the event loop again: their worker failed', { error })
    void worker.terminate()
    worker = null
    if (db.open) db.pragma(`wal_autocheckpoint = ${own}`)
  }

  worker.on('error', giveUp)
  worker.on('exit', (code) => {
    if (worker) giveUp(new Error(`the checkpoint worker exited with code ${code}`))
  })
  worker.on('message', (message: ({ ok: true } & CheckpointResult) | { ok: false; message: string }) => {
    running = false
    if (message.ok) options.onCheckpoint?.({ log: message.log, checkpointed: message.checkpointed })
    else log.warn('WAL checkpoint failed; the next one retries', { error: message.message })
  })

  return {
    nudge(): void {
      if (!worker || ++nudges < NUDGES_PER_CHECKPOINT || running) return
      nudges = 0
      running = true
      worker.postMessage('checkpoint')
    },
    async close(): Promise<void> {
      const closing = worker
      worker = null
      if (!closing) return exited
      if (db.open) db.pragma(`wal_autocheckpoint = ${own}`)
      closing.postMessage('close')
      await exited
      exited = Promise.resolve()
    }
  }
}
