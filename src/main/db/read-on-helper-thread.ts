import { Worker } from 'node:worker_threads'
import { helperConnection, type Db } from './database'

/** What PRAGMA quick_check said: the problems it listed (none: the database is consistent), or why it could not read. */
export type QuickCheckResult =
  { readonly ok: true; readonly problems: readonly string[] } | { readonly ok: false; readonly message: string }

// Plain JavaScript evaluated as the worker, as the WAL checkpoint worker is: no file of its own to bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
let db = null
try {
  const Database = require(workerData.driver)
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: 5000, ...workerData.options })
  const rows = db.pragma('quick_check(' + workerData.limit + ')')
  parentPort.postMessage({ ok: true, problems: rows.map((r) => r.quick_check).filter((r) => r !== 'ok') })
} catch (error) {
  parentPort.postMessage({ ok: false, message: String((error && error.message) || error) })
} finally {
  if (db) db.close()
}
`

function onThisConnection(db: Db, limit: number): QuickCheckResult {
  try {
    const rows = db.pragma(`quick_check(${limit})`) as { quick_check: string }[]
    return { ok: true, problems: rows.map((r) => r.quick_check).filter((r) => r !== 'ok') }
  } catch (error) {
    return { ok: false, message: (error as Error).message }
  }
}

/**
 * PRAGMA quick_check on a worker thread with a read-only connection of its own. It reads every page of the file: on
 * the connection that commits it held the event loop, and every task and window, for as long as the file is big
 * (380 ms with 300,000 tasks; seconds with a million knowledge chunks). WAL lets it read while the app writes, and
 * it checks the database as it was when it began. An in-memory database, or a worker that cannot start, is checked
 * on the connection itself. Aborting stops the worker.
 */
export function quickCheck(
  db: Db,
  options: { readonly limit: number; readonly signal: AbortSignal; readonly driver?: string }
): Promise<QuickCheckResult> {
  if (db.memory) return Promise.resolve(onThisConnection(db, options.limit))
  let worker: Worker
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...helperConnection(db, options.driver), limit: options.limit }
    })
  } catch {
    return Promise.resolve(onThisConnection(db, options.limit))
  }
  return new Promise<QuickCheckResult>((resolve) => {
    const settle = (result: QuickCheckResult): void => {
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
    worker.once('exit', (code) => settle({ ok: false, message: `the check's worker thread exited with code ${code}` }))
  })
}
