import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'

/**
 * A digest of every row of every ordinary table (virtual tables are read
 * through their shadow tables), read from the host's database file on a
 * read-only connection of its own. Equal digests: the data did not change.
 */
export function snapshotDatabase(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
      )
      .pluck()
      .all() as string[]
    const hash = createHash('sha256')
    for (const table of tables) {
      hash.update(`\u0000${table}\u0000`)
      for (const row of db
        .prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`)
        .raw()
        .iterate() as Iterable<unknown[]>) {
        hash.update(
          JSON.stringify(row, (_key, value: unknown) =>
            Buffer.isBuffer(value) ? value.toString('base64') : typeof value === 'bigint' ? String(value) : value
          )
        )
      }
    }
    return hash.digest('hex')
  } finally {
    db.close()
  }
}
