import { openDatabase, type Db } from '../../db/database'
import { bundledMigrations } from '../../db/bundled-migrations'
import { migrate } from '../../db/migrations'
import type { DecisionLog, DecisionRecord } from '../../ports/decision-log'

/** A store with every migration, in memory or in a file a test reopens to play a restart. */
export function migratedDb(file = ':memory:'): Db {
  const db = openDatabase(file)
  const outcome = migrate(db, bundledMigrations())
  if (!outcome.ok) throw new Error('test schema refused')
  return db
}

/** The decision log as a list the test reads back. */
export function recordedDecisions(): DecisionLog & { readonly rows: DecisionRecord[] } {
  const rows: DecisionRecord[] = []
  return { rows, record: (decision) => void rows.push(decision) }
}
