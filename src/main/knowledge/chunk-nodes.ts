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
 * followed through the database: `knowledge_chunks_gone` (migration 0026)
 * logs every deleted chunk in order, and a new chunk's id is always above the
 * highest id alive when it was inserted (SQLite's rowid), so after dropping
 * the logged deletions, the chunks above the highest id still known are the
 * ones added. A sync runs before each lookup when the database changed
 * (data_version for other connections, total_changes for this one). An id the
 * map does not know is read from its row; an entry it holds is never stale,
 * because a chunk's deletion is logged in the transaction that deletes it.
 *
 * The map is filled a slice of nodes at a time after a start (each node's
 * lowest and highest chunk id and count, from the UNIQUE (node_id, ordinal)
 * index: ~10 ms per 4,096 nodes, 26 steps at a million chunks); writes
 * between the slices are met by the log from where the load began. Until it
 * is complete, every lookup reads rows (as before the map).
 */
export interface ChunkNodes {
  /** The node of each known chunk (ids not found are left out). */
  nodesOf(ids: readonly number[]): Map<number, string>
  /** Fills up to `maxNodes` more nodes' chunks into the map; false once it is complete. The capability calls it between other work. */
  loadStep(maxNodes: number): boolean
  /** Fills the whole map at once (benchmarks, tests, and after a trimmed log). */
  load(): void
  readonly loaded: boolean
  /** Chunks in the map (0 until it is loaded). */
  readonly count: number
  /** How many ids were read from their chunk rows (not known in memory), since creation. */
  readonly rowsRead: number
  /** Bytes the map holds: 4 per chunk id in its range, and each node's id and count. */
  bytes(): number
}

const LOAD_NODES = 4096

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
  // A node's chunks are written in one transaction, so their ids are contiguous but for a writer interleaving with it.
  const nodesAfter = db
    .prepare(
      'SELECT node_id, min(id), max(id), count(*) FROM knowledge_chunks WHERE node_id > ? GROUP BY node_id ORDER BY node_id LIMIT ?'
    )
    .raw()
  const idsOfNode = db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ?').pluck()
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
    known--
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
    known++
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
  let known = 0
  const reset = (): void => {
    base = 0
    slots = new Int32Array(0)
    top = 0
    nodeIds = []
    counts = new Int32Array(0)
    ordinalOf.clear()
    free.length = 0
    known = 0
  }

  /** The node after which the next step reads; null when no load is under way. */
  let cursor: string | null = null
  const loadStep = (maxNodes: number): boolean => {
    if (loaded) return false
    if (cursor === null) {
      reset()
      // Deletions from here on are applied when the load completes: an entry read by a later slice is never stale.
      seq = lastSeq.get() as number
      cursor = ''
    }
    const rows = nodesAfter.all(cursor, maxNodes) as [string, number, number, number][]
    for (const [nodeId, first, last, count] of rows) {
      if (last - first + 1 === count) for (let id = first; id <= last; id++) set(id, nodeId)
      else for (const id of idsOfNode.all(nodeId) as number[]) set(id, nodeId)
    }
    if (rows.length === maxNodes) {
      cursor = rows.at(-1)![0]
      return true
    }
    cursor = null
    loaded = true
    // The first lookup syncs: the log since the load began, and chunks added above the highest id read.
    seen = null
    return false
  }
  const load = (): void => {
    loaded = false
    cursor = null
    while (loadStep(LOAD_NODES));
  }

  const sync = (): void => {
    const now = snapshot()
    if (seen && now.version === seen.version && now.changes === seen.changes) return
    // One read transaction: the log and the chunks above the highest known id are read from the same state.
    db.transaction(() => {
      const gone = goneSince.all(seq) as [number, number][]
      // The entry after ours was trimmed: some deletions cannot be known, so everything is read again.
      if (gone.length > 0 && gone[0]![0] !== seq + 1) {
        load()
        return sync()
      }
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
    get count() {
      return loaded ? known : 0
    },
    get rowsRead() {
      return rowsRead
    },
    load,
    loadStep,
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
