import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createModelStore, type ModelStore } from '../model-store'

/** The real store on an in-memory SQLite with the real migration applied. */
export function memoryModelStore(): ModelStore {
  const db = new Database(':memory:')
  for (const file of ['0001_foundation.sql', '0003_models.sql'])
    db.exec(readFileSync(join(__dirname, '../../../../migrations', file), 'utf8'))
  return createModelStore(db)
}
