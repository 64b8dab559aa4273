import { createRequire } from 'node:module'
import Database from 'better-sqlite3'

export type Db = Database.Database

export interface OpenDatabaseOptions {
  /** Path to a better_sqlite3.node built for the running runtime (Electron's ABI differs from Node's). */
  readonly nativeBinding?: string
  readonly busyTimeoutMs?: number
}

const opened = new WeakMap<Db, OpenDatabaseOptions>()

/** How a connection was opened: a helper connection to the same file (the WAL checkpoint worker) loads the same native binding. */
export function openedWith(db: Db): OpenDatabaseOptions {
  return opened.get(db) ?? {}
}

/**
 * What a worker thread needs to open a helper connection to the file of `db` (WAL checkpoints, quick_check): the
 * better-sqlite3 module to load (this process's unless a test gives another) and the native binding `db` was opened
 * with. Throws if the module cannot be resolved; callers then stay on `db`.
 */
export function helperConnection(
  db: Db,
  driver?: string
): { readonly driver: string; readonly file: string; readonly options: { readonly nativeBinding?: string } } {
  const { nativeBinding } = openedWith(db)
  return {
    driver: driver ?? createRequire(__filename).resolve('better-sqlite3'),
    file: db.name,
    options: nativeBinding ? { nativeBinding } : {}
  }
}

/**
 * The one connection of this process that writes. WAL lets readers run beside the
 * writer; foreign keys are off by default in SQLite and on here; the busy
 * timeout covers the CLI reading while the app writes.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
    // A statement that may abort midway inside a transaction keeps the pages it changes in a statement journal.
    // SQLite spills that journal to a temporary file past 64 KiB (a task insert's FTS merge does), and then every
    // later statement of the transaction writes its pages to that file as well: 14 writes per created task.
    // In memory, creates ran 1.07–1.45× faster (bench:queue, created). Migrations, which may rewrite whole
    // tables, run with temporary files (migrations.ts).
    db.pragma('temp_store = MEMORY')
  } catch (error) {
    db.close()
    throw error
  }
  opened.set(db, options)
  return db
}
