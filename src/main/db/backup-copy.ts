import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from './database'

export const BACKUPS_DIR = 'backups'

/**
 * A copy of the database file, taken before a repair changes it: the WAL is
 * checkpointed into the main file first, so the one file is the whole
 * database. Run while this process holds the instance lock, so nothing else
 * writes meanwhile. Throws (after removing a partial copy) when the disk
 * cannot take it: a repair does not go ahead without its backup.
 */
export function backupCopy(db: Db, dataDir: string, reason: string, now: Date = new Date()): string {
  db.pragma('wal_checkpoint(TRUNCATE)')
  const dir = join(dataDir, BACKUPS_DIR)
  mkdirSync(dir, { recursive: true })
  const file = join(
    dir,
    `kos-${now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}-${reason}.db`
  )
  try {
    copyFileSync(db.name, file)
  } catch (error) {
    rmSync(file, { force: true })
    throw error
  }
  return file
}
