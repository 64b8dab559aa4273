import { afterEach } from 'vitest'
import { backupCopy } from '../../db/backup-copy'
import { bundledMigrations } from '../../db/bundled-migrations'
import { openDatabase, type Db } from '../../db/database'
import { migrate } from '../../db/migrations'
import { createEventBus, type EventBus } from '../../events/event-bus'
import type { Embedder } from '../../ports/embedder'
import { memoryLogger } from '../../test-support/memory-logger'
import { useTempDirs } from '../../test-support/temp-dir'
import { createKnowledgeCapability, type KnowledgeCapability, type KnowledgeDeps } from '../knowledge-capability'
import { loadVectorExtension } from '../load-vector-extension'
import { testConfig, type TestConfig } from './knowledge-doubles'

export * from './knowledge-doubles'

/** A fresh database in a file of its own (sqlite-vec and WAL as in the app), migrated. */
export function testDb(dir: string): Db {
  const db = openDatabase(`${dir}/kos.db`)
  migrate(db, bundledMigrations())
  return db
}

/** The same, with sqlite-vec loaded: for a vector index built without the capability. */
export function vectorTestDb(dir: string): Db {
  const db = testDb(dir)
  const loaded = loadVectorExtension(db)
  if (!loaded.ok) throw new Error(loaded.reason)
  return db
}

export interface Kit {
  readonly db: Db
  readonly config: TestConfig
  readonly events: EventBus
  readonly emitted: { name: string; payload: unknown }[]
  readonly knowledge: KnowledgeCapability
}

export function knowledgeKit(
  dir: string,
  options: {
    embedder?: Embedder | null
    config?: TestConfig
    startLexicalWorker?: KnowledgeDeps['startLexicalWorker']
  } = {}
): Kit {
  const db = testDb(dir)
  const config = options.config ?? testConfig()
  const events = createEventBus((error) => {
    throw error
  })
  const emitted: { name: string; payload: unknown }[] = []
  events.subscribe((frame) => emitted.push({ name: frame.name, payload: frame.payload }))
  const knowledge = createKnowledgeCapability({
    db,
    config,
    events,
    log: memoryLogger().logger,
    embedder: options.embedder ?? null,
    embedRetryMs: 20,
    startLexicalWorker: options.startLexicalWorker ?? null,
    backup: (reason) => backupCopy(db, dir, reason)
  })
  return { db, config, events, emitted, knowledge }
}

/**
 * A knowledge kit per call, on a fresh folder unless given one (a second kit on the same folder is a
 * restart), stopped and closed after the test that made it unless the test closed it first.
 */
export function useKnowledgeKits(): (options?: Parameters<typeof knowledgeKit>[1], dir?: string) => Kit {
  const tempDir = useTempDirs()
  const open: Kit[] = []
  afterEach(async () => {
    for (const kit of open.splice(0)) {
      if (!kit.db.open) continue
      await kit.knowledge.stop?.()
      kit.db.close()
    }
  })
  return (options = {}, dir = tempDir()) => {
    const made = knowledgeKit(dir, options)
    open.push(made)
    return made
  }
}

export const FIXTURES = `${__dirname}/../fixtures/corpus`
