import type { Db } from '../db/database'

export type RemoteKind = 'ollama' | 'openai'

export interface StoredNode {
  readonly id: string
  readonly kind: RemoteKind
  readonly url: string
  readonly label: string
  readonly addedAt: string
}

/** Nodes added by the user, the preferred model per category, and the node URLs ever seen up, in SQLite. */
export interface ModelStore {
  nodes(): StoredNode[]
  addNode(node: StoredNode): void
  removeNode(id: string): boolean
  /** Read from SQLite once and kept in step with setPreference: every routed request reads it. */
  preferences(): ReadonlyMap<string, string>
  setPreference(category: string, model: string | null): void
  /** The URL each node was last seen up at: such a node counts when it is down, even if nobody configured it. */
  seenUp(): Map<string, string>
  markSeenUp(id: string, url: string): void
}

const SEEN_UP = 'models.seen_up:'

export function createModelStore(db: Db): ModelStore {
  const selectNodes = db.prepare<[], { id: string; kind: RemoteKind; url: string; label: string; added_at: string }>(
    'SELECT id, kind, url, label, added_at FROM model_nodes ORDER BY added_at, id'
  )
  const insertNode = db.prepare('INSERT INTO model_nodes (id, kind, url, label, added_at) VALUES (?, ?, ?, ?, ?)')
  const deleteNode = db.prepare('DELETE FROM model_nodes WHERE id = ?')
  const selectPrefs = db.prepare<[], { category: string; model: string }>(
    'SELECT category, model FROM model_preferences ORDER BY category'
  )
  const upsertPref = db.prepare(
    'INSERT INTO model_preferences (category, model, updated_at) VALUES (?, ?, ?) ON CONFLICT (category) DO UPDATE SET model = excluded.model, updated_at = excluded.updated_at'
  )
  const deletePref = db.prepare('DELETE FROM model_preferences WHERE category = ?')
  // app_meta holds them: a few keys, read once at start, written when a node is first seen up at a URL.
  const selectSeen = db.prepare<[string, string], { key: string; value: string }>(
    'SELECT key, value FROM app_meta WHERE key >= ? AND key < ?'
  )
  const upsertSeen = db.prepare(
    'INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'
  )
  // This store is the only writer of model_preferences, so the rows read once stay true.
  let preferences: Map<string, string> | null = null
  const readPreferences = (): Map<string, string> =>
    (preferences ??= new Map(selectPrefs.all().map((r) => [r.category, r.model])))
  return {
    nodes: () =>
      selectNodes.all().map((r) => ({ id: r.id, kind: r.kind, url: r.url, label: r.label, addedAt: r.added_at })),
    addNode: (n) => void insertNode.run(n.id, n.kind, n.url, n.label, n.addedAt),
    removeNode: (id) => deleteNode.run(id).changes > 0,
    preferences: readPreferences,
    setPreference(category, model) {
      const next = new Map(readPreferences())
      if (model === null) {
        deletePref.run(category)
        next.delete(category)
      } else {
        upsertPref.run(category, model, new Date().toISOString())
        next.set(category, model)
      }
      // A new map, not the old one changed: a caller holding the old one keeps what it read.
      preferences = new Map([...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    },
    seenUp: () =>
      new Map(selectSeen.all(SEEN_UP, `${SEEN_UP}\uffff`).map((r) => [r.key.slice(SEEN_UP.length), r.value])),
    markSeenUp: (id, url) => void upsertSeen.run(`${SEEN_UP}${id}`, url, new Date().toISOString())
  }
}
