/**
 * The knowledge base's test doubles, free of the test runner and of the
 * build's bundled migrations, so a child process started with jiti (the
 * crash test's) can use them as well as vitest tests.
 */
import type { ConfigService } from '../../config/config-service'
import { SETTINGS, type SettingKey, type SettingValueOf } from '../../config/setting-definitions'
import type { Embedder, EmbedderState, EmbeddingModel } from '../../ports/embedder'

export type TestConfig = Pick<ConfigService, 'get'> & {
  set<K extends SettingKey>(key: K, value: SettingValueOf<K>): void
}

/** Settings at their defaults, changeable by the test. */
export function testConfig(overrides: Partial<{ [K in SettingKey]: SettingValueOf<K> }> = {}): TestConfig {
  const values = new Map<string, unknown>(Object.entries(SETTINGS).map(([key, def]) => [key, def.default]))
  for (const [key, value] of Object.entries(overrides)) values.set(key, value)
  return {
    get: <K extends SettingKey>(key: K) => values.get(key) as SettingValueOf<K>,
    set: (key, value) => void values.set(key, value)
  }
}

/**
 * Words that mean the same thing share a concept, so a query can find a
 * document by meaning without sharing a word with it, as a real embedding
 * model would; every other word gets its own hashed direction.
 */
const CONCEPTS: Readonly<Record<string, string>> = {
  car: 'vehicle',
  cars: 'vehicle',
  automobile: 'vehicle',
  automobiles: 'vehicle',
  vehicle: 'vehicle',
  машина: 'vehicle',
  автомобиль: 'vehicle',
  backup: 'backup',
  backups: 'backup',
  snapshot: 'backup',
  копия: 'backup',
  копирование: 'backup',
  резервное: 'backup'
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
      return embedder.available
        ? { available: true, model: embedder.model }
        : { available: false, reason: 'the test turned the model off' }
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
