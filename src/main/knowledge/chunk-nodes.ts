import type { Db } from '../db/database'

/**
 * The node of every chunk, in memory, so a search names the documents of its
 * hits without reading their chunk rows: at a million chunks those were ~65
 * random pages a query (the 50 lexical hits and the vector side's 30), each a
 * disk read once the kernel has reclaimed the file's pages (README.md).
 *
 * One Int32 per chunk id (the node's ordinal + 1, 0 for none) from the lowest
 * id to the highest, and each node's id once, with a count of its chunks so
 * its ordinal is given again when the last one goes.
 *
 * Writes of any connection, another process's (`kos import`) included, are
 * followed through the database: `knowledge_chunks_gone` (migration 0027)
 * logs every deleted chunk in order, and a new chunk's id is always above the
 * highest id alive when it was inserted (SQLite's rowid), so after dropping
 * the logged deletions, the chunks above the highest id still known are the
 * ones added. A sync runs before each lookup when the database changed
 * (data_version for other connections, total_changes for this one). An id the
 * map does not know is read from its row; an entry it holds is never stale,
 * because a chunk's deletion is logged in the transaction that deletes it.
 *
 * Until `load` has run, every lookup reads rows (as before the map).
 */
export interface ChunkNodes {
  /** The node of each known chunk (ids not found are left out). */
  nodesOf(ids: readonly number[]): Map<number, string>
  /** Fills the map from the database in one read; the capability calls it in the background after a start. */
  load(): void
  readonly loaded: boolean
  /** How many ids were read from their chunk rows (not known in memory), since creation. */
  readonly rowsRead: number
  /** Bytes the map holds: 4 per chunk id in its range, and each node's id and count. */
  bytes(): number
}

interface Snapshot {
  readonly version: number
  readonly changes: number
}

export function createChunkNodes(db: Db): ChunkNodes {
  const dataVersion = db.prepare('PRAGMA data_version').pluck()
  const totalChanges = db.prepare('SELECT total_changes()').pluck()
  const lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM knowledge_chunks_gone').pluck()
  const goneSince = db.prepare('SELECT seq, chunk_id FROM knowledge_chunks_gone WHERE seq > ? ORDER BY seq').raw()
  const after = db.prepare('SELECT id, node_id FROM knowledge_chunks WHERE id > ? ORDER BY id').raw()
  // The UNIQUE (node_id, ordinal) index holds both columns and the rowid: read instead of the chunk rows and their text.
  const all = db.prepare('SELECT id, node_id FROM knowledge_chunks ORDER BY node_id, ordinal').raw()
  const rowsOf = (ids: readonly number[]): [number, string][] =>
    db
      .prepare(`SELECT id, node_id FROM knowledge_chunks WHERE id IN (${ids.map(() => '?').join(',')})`)
      .raw()
      .all(...ids) as [number, string][]

  let base = 0
  let slots = new Int32Array(0)
  /** Highest id + 1 - base with an entry; entries above are zero. */
  let top = 0
  let nodeIds: (string | undefined)[] = []
  let counts = new Int32Array(0)
  const ordinalOf = new Map<string, number>()
  const free: number[] = []
  let seq = 0
  let seen: Snapshot | null = null

  const snapshot = (): Snapshot => ({ version: dataVersion.get() as number, changes: totalChanges.get() as number })

  const ordinal = (nodeId: string): number => {
    const known = ordinalOf.get(nodeId)
    if (known !== undefined) return known
    const next = free.pop() ?? nodeIds.length
    if (next >= counts.length) {
      const grown = new Int32Array(Math.max(1024, counts.length * 2))
      grown.set(counts)
      counts = grown
    }
    nodeIds[next] = nodeId
    ordinalOf.set(nodeId, next)
    return next
  }

  const release = (at: number): void => {
    const node = slots[at]! - 1
    if (node < 0) return
    slots[at] = 0
    if (--counts[node]! === 0) {
      ordinalOf.delete(nodeIds[node]!)
      nodeIds[node] = undefined
      free.push(node)
    }
  }

  const set = (id: number, nodeId: string): void => {
    if (slots.length === 0) base = id
    if (id < base) {
      const shift = base - id
      const grown = new Int32Array(Math.max(slots.length + shift, 1024))
      grown.set(slots.subarray(0, top), shift)
      slots = grown
      top += shift
      base = id
    }
    const at = id - base
    if (at >= slots.length) {
      const grown = new Int32Array(Math.max(at + 1, slots.length * 2, 1024))
      grown.set(slots.subarray(0, top))
      slots = grown
    }
    release(at)
    const node = ordinal(nodeId)
    counts[node]!++
    slots[at] = node + 1
    if (at >= top) top = at + 1
  }

  const remove = (id: number): void => {
    const at = id - base
    if (at < 0 || at >= top) return
    release(at)
    while (top > 0 && slots[top - 1] === 0) top--
  }

  let loaded = false
  let rowsRead = 0
  const reset = (): void => {
    base = 0
    slots = new Int32Array(0)
    top = 0
    nodeIds = []
    counts = new Int32Array(0)
    ordinalOf.clear()
    free.length = 0
  }

  const load = (): void => {
    db.transaction(() => {
      reset()
      seen = snapshot()
      seq = lastSeq.get() as number
      for (const [id, nodeId] of all.iterate() as IterableIterator<[number, string]>) set(id, nodeId)
    })()
    loaded = true
  }

  const sync = (): void => {
    const now = snapshot()
    if (seen && now.version === seen.version && now.changes === seen.changes) return
    // One read transaction: the log and the chunks above the highest known id are read from the same state.
    db.transaction(() => {
      const gone = goneSince.all(seq) as [number, number][]
      // The entry after ours was trimmed: some deletions cannot be known, so everything is read again.
      if (gone.length > 0 && gone[0]![0] !== seq + 1) return load()
      for (const [at, chunkId] of gone) {
        remove(chunkId)
        seq = at
      }
      for (const [id, nodeId] of after.iterate(base + top - 1) as IterableIterator<[number, string]>) set(id, nodeId)
      seen = snapshot()
    })()
  }

  return {
    get loaded() {
      return loaded
    },
    get rowsRead() {
      return rowsRead
    },
    load,
    nodesOf(ids) {
      const found = new Map<number, string>()
      if (ids.length === 0) return found
      if (loaded) sync()
      const missing: number[] = []
      for (const id of ids) {
        const at = id - base
        const node = loaded && at >= 0 && at < top ? slots[at]! - 1 : -1
        if (node >= 0) found.set(id, nodeIds[node]!)
        else missing.push(id)
      }
      rowsRead += missing.length
      if (missing.length > 0) for (const [id, nodeId] of rowsOf(missing)) found.set(id, nodeId)
      return found
    },
    bytes: () => slots.byteLength + counts.byteLength + ordinalOf.size * 100
  }
}
