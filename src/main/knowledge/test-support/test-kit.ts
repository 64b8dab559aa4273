import { afterEach } from 'vitest'
import type { ConfigService } from '../../config/config-service'
import { SETTINGS, type SettingKey, type SettingValueOf } from '../../config/setting-definitions'
import { openDatabase, type Db } from '../../db/database'
import { backupCopy } from '../../db/backup-copy'
import { bundledMigrations } from '../../db/bundled-migrations'
import { migrate } from '../../db/migrations'
import { createEventBus, type EventBus } from '../../events/event-bus'
import type { Embedder, EmbedderState, EmbeddingModel } from '../../ports/embedder'
import { memoryLogger } from '../../test-support/memory-logger'
import { useTempDirs } from '../../test-support/temp-dir'
import { createKnowledgeCapability, type KnowledgeCapability } from '../knowledge-capability'

export type TestConfig = Pick<ConfigService, 'get'> & { set<K extends SettingKey>(key: K, value: SettingValueOf<K>): void }

/** Settings at their defaults, changeable by the test. */
export function testConfig(overrides: Partial<{ [K in SettingKey]: SettingValueOf<K> }> = {}): TestConfig {
  const values = new Map<string, unknown>(Object.entries(SETTINGS).map(([key, def]) => [key, def.default]))
  for (const [key, value] of Object.entries(overrides)) values.set(key, value)
  return {
    get: <K extends SettingKey>(key: K) => values.get(key) as SettingValueOf<K>,
    set: (key, value) => void values.set(key, value)
  }
}

/** A fresh database in a file of its own (sqlite-vec and WAL as in the app), migrated. */
export function testDb(dir: string): Db {
  const db = openDatabase(`${dir}/kos.db`)
  migrate(db, bundledMigrations())
  return db
}

/**
 * Words that mean the same thing share a concept, so a query can find a
 * document by meaning without sharing a word with it, as a real embedding
 * model would; every other word gets its own hashed direction.
 */
const CONCEPTS: Readonly<Record<string, string>> = {
  car: 'vehicle', cars: 'vehicle', automobile: 'vehicle', automobiles: 'vehicle', vehicle: 'vehicle', машина: 'vehicle', автомобиль: 'vehicle',
  backup: 'backup', backups: 'backup', snapshot: 'backup', копия: 'backup', копирование: 'backup', резервное: 'backup'
}

/** A deterministic embedder: hashed bags of concepts, unit length, of a chosen dimension. */
export function conceptEmbedder(model: EmbeddingModel = { id: 'test:concepts', dimension: 64 }): Embedder & {
  calls: string[][]
  available: boolean
  model: EmbeddingModel
  /** When set, embed() waits for this before answering. */
  gate: Promise<void> | null
} {
  const embedder = {
    calls: [] as string[][],
    available: true,
    model,
    gate: null as Promise<void> | null,
    async state(): Promise<EmbedderState> {
      return embedder.available ? { available: true, model: embedder.model } : { available: false, reason: 'the test turned the model off' }
    },
    async embed(texts: readonly string[]): Promise<Float32Array[]> {
      embedder.calls.push([...texts])
      if (embedder.gate) await embedder.gate
      if (!embedder.available) throw new Error('connection refused')
      return texts.map((text) => embedText(text, embedder.model.dimension))
    }
  }
  return embedder
}

export function embedText(text: string, dimension: number): Float32Array {
  const vector = new Float32Array(dimension)
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const concept = CONCEPTS[word] ?? word
    let hash = 2166136261
    for (const char of concept) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619)
    vector[(hash >>> 0) % dimension]! += 1
  }
  const norm = Math.hypot(...vector) || 1
  return vector.map((v) => v / norm)
}

export interface Kit {
  readonly db: Db
  readonly config: TestConfig
  readonly events: EventBus
  readonly emitted: { name: string; payload: unknown }[]
  readonly knowledge: KnowledgeCapability
}

export function knowledgeKit(dir: string, options: { embedder?: Embedder | null; config?: TestConfig } = {}): Kit {
  const db = testDb(dir)
  const config = options.config ?? testConfig()
  const events = createEventBus((error) => {
    throw error
  })
  const emitted: { name: string; payload: unknown }[] = []
  events.subscribe((frame) => emitted.push({ name: frame.name, payload: frame.payload }))
  const knowledge = createKnowledgeCapability({ db, config, events, log: memoryLogger().logger, embedder: options.embedder ?? null, embedRetryMs: 20, backup: (reason) => backupCopy(db, dir, reason) })
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
