import { Worker } from 'node:worker_threads'
import { helperConnection, type Db } from './database'

/** The rows of each statement, in order, or why the helper could not read them (a damaged file, a stop). */
export type HelperReadResult =
  | { readonly ok: true; readonly rows: readonly (readonly unknown[])[] }
  | { readonly ok: false; readonly message: string }

// Plain JavaScript evaluated as the worker, as the WAL checkpoint worker is: no file of its own to bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
let db = null
try {
  const Database = require(workerData.driver)
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: 5000, ...workerData.options })
  parentPort.postMessage({ ok: true, rows: workerData.statements.map((sql) => db.prepare(sql).all()) })
} catch (error) {
  parentPort.postMessage({ ok: false, message: String((error && error.message) || error) })
} finally {
  if (db) db.close()
}
`

function onThisConnection(db: Db, statements: readonly string[]): HelperReadResult {
  try {
    return { ok: true, rows: statements.map((sql) => db.prepare(sql).all()) }
  } catch (error) {
    return { ok: false, message: (error as Error).message }
  }
}

/**
 * Runs read-only statements that read a whole file or index (PRAGMA quick_check, FTS5's integrity check) on a worker
 * thread with a read-only connection of its own. On the connection that commits they held the event loop, and every
 * task and window, for as long as the file is big (380 ms with 300,000 tasks; seconds with a million knowledge
 * chunks). WAL lets them read while the app writes; each statement reads the database as it was when it began. An
 * in-memory database, or a worker that cannot start, is read on the connection itself. Aborting stops the worker.
 */
export function readOnHelperThread(
  db: Db,
  options: { readonly statements: readonly string[]; readonly signal: AbortSignal; readonly driver?: string }
): Promise<HelperReadResult> {
  if (db.memory) return Promise.resolve(onThisConnection(db, options.statements))
  let worker: Worker
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...helperConnection(db, options.driver), statements: options.statements }
    })
  } catch {
    return Promise.resolve(onThisConnection(db, options.statements))
  }
  return new Promise<HelperReadResult>((resolve) => {
    const settle = (result: HelperReadResult): void => {
      options.signal.removeEventListener('abort', stop)
      resolve(result)
    }
    const stop = (): void => {
      settle({ ok: false, message: 'stopped before it finished' })
      void worker.terminate()
    }
    options.signal.addEventListener('abort', stop, { once: true })
    worker.once('message', settle)
    worker.once('error', (error) => settle({ ok: false, message: error.message }))
    worker.once('exit', (code) => settle({ ok: false, message: `the helper thread exited with code ${code}` }))
  })
}
