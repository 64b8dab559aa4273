import type { Db } from '../db/database'
import type { NodeLimitOverride } from '../../shared/backend-limits'

/** Each node's own caps, set in the Models view; read by the scheduler at every pick, so kept in memory. */
export interface NodeLimitStore {
  get(nodeId: string): NodeLimitOverride | null
  /** null, or both fields null, goes back to the kind's settings. */
  set(nodeId: string, override: NodeLimitOverride | null): void
}

const PREFIX = 'models.node_limit:'

function parse(value: string): NodeLimitOverride | null {
  try {
    const raw = JSON.parse(value) as { maxConcurrent?: unknown; maxHeavy?: unknown }
    const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null)
    const override = { maxConcurrent: num(raw.maxConcurrent), maxHeavy: num(raw.maxHeavy) }
    return override.maxConcurrent === null && override.maxHeavy === null ? null : override
  } catch {
    // A value written by hand that is not JSON: the kind's settings apply, as for no value.
    return null
  }
}

/** Kept in app_meta (a few keys, one per node with its own caps), like the URLs nodes were seen up at. */
export function createNodeLimitStore(db: Db): NodeLimitStore {
  const rows = db
    .prepare<[string, string], { key: string; value: string }>(
      'SELECT key, value FROM app_meta WHERE key >= ? AND key < ?'
    )
    .all(PREFIX, `${PREFIX}\uffff`)
  const cache = new Map<string, NodeLimitOverride>()
  for (const row of rows) {
    const override = parse(row.value)
    if (override) cache.set(row.key.slice(PREFIX.length), override)
  }
  const upsert = db.prepare(
    'INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'
  )
  const remove = db.prepare('DELETE FROM app_meta WHERE key = ?')
  return {
    get: (nodeId) => cache.get(nodeId) ?? null,
    set(nodeId, override) {
      if (!override || (override.maxConcurrent === null && override.maxHeavy === null)) {
        remove.run(`${PREFIX}${nodeId}`)
        cache.delete(nodeId)
        return
      }
      upsert.run(`${PREFIX}${nodeId}`, JSON.stringify(override), new Date().toISOString())
      cache.set(nodeId, override)
    }
  }
}
