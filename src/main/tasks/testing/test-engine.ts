import { join } from 'node:path'
import type { SettingKey } from '../../config/setting-definitions'
import { openDatabase, type Db } from '../../db/database'
import { bundledMigrations } from '../../db/bundled-migrations'
import { migrate } from '../../db/migrations'
import { memoryLogger, type LogRecord } from '../../test-support/memory-logger'
import type { TaskProcessor } from '../../ports/task-processor'
import type { Concurrency, TaskEvent } from '../../../shared/contract/tasks-contract'
import { createTasksEngine, type TasksEngine, type TasksEngineOptions } from '../tasks-engine'
import { testConfig } from './test-config'

export { testConfig } from './test-config'

export function migratedDb(dir: string): Db {
  const db = openDatabase(join(dir, 'kos.db'))
  migrate(db, bundledMigrations())
  return db
}

export interface TestHarness {
  readonly engine: TasksEngine
  readonly db: Db
  readonly config: ReturnType<typeof testConfig>
  readonly events: TaskEvent[]
  readonly concurrency: Concurrency[]
  readonly records: LogRecord[]
}

export function testEngine(
  dir: string,
  processor: TaskProcessor | null,
  overrides: Partial<Record<SettingKey, number | string | boolean>> = {},
  extra: Partial<TasksEngineOptions> = {}
): TestHarness {
  const db = extra.db ?? migratedDb(dir)
  const config = testConfig({ 'worker.retryDelaySec': 0, 'worker.retryJitter': 0, ...overrides })
  const events: TaskEvent[] = []
  const concurrency: Concurrency[] = []
  const { logger, records } = memoryLogger()
  const engine = createTasksEngine({
    db,
    config,
    log: logger,
    processor,
    publish: (batch) => events.push(...batch),
    publishConcurrency: (value) => concurrency.push(value),
    pollMs: 20,
    machine: () => ({ cpuLoad: 0.2, freeMemoryRatio: 0.5 }),
    ...extra
  })
  return { engine, db, config, events, concurrency, records }
}

/** Polls until `check` holds; fails the test with `what` after a generous wait. */
export async function until(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
