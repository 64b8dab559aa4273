import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createModelStore } from './model-store'

function database(): Database.Database {
  const db = new Database(':memory:')
  for (const file of ['0001_foundation.sql', '0003_models.sql'])
    db.exec(readFileSync(join(__dirname, '../../../migrations', file), 'utf8'))
  return db
}

describe('model store preferences', () => {
  it('keeps what was set, cleared and stored, as a new store on the same database reads it', () => {
    const db = database()
    const store = createModelStore(db)
    expect([...store.preferences()]).toEqual([])
    store.setPreference('general', 'llama3.2:3b')
    store.setPreference('coding', 'qwen2.5-coder:32b')
    store.setPreference('general', 'llama3.1:8b')
    store.setPreference('writing', 'mistral')
    store.setPreference('writing', null)
    const expected = [
      ['coding', 'qwen2.5-coder:32b'],
      ['general', 'llama3.1:8b']
    ]
    expect([...store.preferences()]).toEqual(expected)
    expect([...createModelStore(db).preferences()]).toEqual(expected)
  })

  it('reads SQLite once, not on every routed request, and never changes a map a caller holds', () => {
    const db = database()
    const store = createModelStore(db)
    store.setPreference('general', 'llama3.2:3b')
    const held = store.preferences()
    // Rows written behind the store's back are not read again: the store is their only writer.
    db.prepare("INSERT INTO model_preferences (category, model, updated_at) VALUES ('x', 'y', 'z')").run()
    expect(store.preferences()).toBe(held)
    store.setPreference('general', 'llama3.1:8b')
    expect(held.get('general')).toBe('llama3.2:3b')
    expect(store.preferences().get('general')).toBe('llama3.1:8b')
  })
})
