import { openDatabase, type Db } from '../../db/database'
import { bundledMigrations } from '../../db/bundled-migrations'
import { migrate } from '../../db/migrations'
import { createLogger, type Logger } from '../../log/logger'

/**
 * A fresh in-memory store with the foundation, chat, board and usage schemas only,
 * so these tests do not depend on other capabilities' migrations.
 */
export function chatTestDb(): Db {
  const db = openDatabase(':memory:')
  const outcome = migrate(
    db,
    bundledMigrations().filter((m) =>
      ['foundation', 'chat', 'board_decisions', 'model_usage', 'usage_failed'].includes(m.name)
    )
  )
  if (!outcome.ok) throw new Error('test schema refused')
  return db
}

export interface CapturedLog {
  readonly log: Logger
  readonly lines: () => Record<string, unknown>[]
}

/** A logger whose JSON lines the test can read back. */
export function capturedLog(): CapturedLog {
  const written: string[] = []
  const { logger } = createLogger({ write: (line) => written.push(line) }, 'debug')
  return { log: logger, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) }
}
