import type { Db } from '../db/database'
import { BLOCK_SLOTS, signIndexFromBlocks, type SignIndex, type SignIndexOptions } from './sign-index'

/**
 * The sign codes of a collection, persisted beside its vectors so a start
 * reads them in a few hundred large rows (blocks of 256 slots, 24 KiB for
 * 768 dimensions) instead of touching every 3 KiB vector row; 100,000 codes
 * are ~390 rows. Blocks are written in the same transaction as the vectors
 * they describe, so after a crash or a torn write SQLite's journal leaves
 * both as they were together: the codes never disagree with the vectors.
 *
 * Once the codes are partitioned (sign-partitions.ts), each block also holds
 * its slots' lists and `<collection>_centroids` the centroids, written in
 * the same transactions, so a start reads the partitions instead of
 * computing them again.
 *
 * Chunks leave by `ON DELETE CASCADE`, which no code of ours sees, so a
 * trigger notes each deleted chunk in the collection's `_gone` table; the
 * next search drops those from memory and rewrites only the blocks they
 * were in (the last slot moves into each hole).
 */
export interface CodeStore {
  /** Creates the tables of a new collection, empty. */
  create(vecTable: string): void
  /** The collection's codes: from the blocks, or built once from the vector rows for a collection stored before blocks existed. */
  load(vecTable: string, words: number): SignIndex
  /** Drops from `index` the chunks deleted since the last call; false when none were. */
  applyDeletes(vecTable: string, index: SignIndex): boolean
  /** Writes the blocks `index` changed; call inside the transaction that changed the vectors. */
  persist(vecTable: string, index: SignIndex): void
  drop(vecTable: string): void
}

export type CodeStoreOptions = Pick<SignIndexOptions, 'partitionFrom' | 'probe'>

export function createCodeStore(db: Db, options: CodeStoreOptions = {}): CodeStore {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck()

  const create = (vecTable: string): void => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${vecTable}_codes (block INTEGER PRIMARY KEY, ids BLOB NOT NULL, codes BLOB NOT NULL, lists BLOB) STRICT;
      CREATE TABLE IF NOT EXISTS ${vecTable}_centroids (id INTEGER PRIMARY KEY CHECK (id = 0), centroids BLOB NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS ${vecTable}_gone (chunk_id INTEGER PRIMARY KEY) STRICT;
      CREATE TRIGGER IF NOT EXISTS ${vecTable}_gone_log AFTER DELETE ON ${vecTable} BEGIN INSERT OR IGNORE INTO ${vecTable}_gone (chunk_id) VALUES (OLD.chunk_id); END;`)
  }

  /** Codes tables written before partitions lack the lists column; it is added on first use. */
  const upgrade = (vecTable: string): void => {
    const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(`${vecTable}_codes`) as string[]
    if (!columns.includes('lists')) db.exec(`ALTER TABLE ${vecTable}_codes ADD COLUMN lists BLOB`)
    create(vecTable)
  }

  const persist = (vecTable: string, index: SignIndex): void => {
    const centroids =
      index.takeCentroids() ??
      // Centroids trained in a transaction that was rolled back around ours: written again.
      (index.centroids && !db.prepare(`SELECT 1 FROM ${vecTable}_centroids`).get() ? index.centroids : null)
    if (centroids)
      db.prepare(`INSERT OR REPLACE INTO ${vecTable}_centroids (id, centroids) VALUES (0, ?)`).run(bytesOf(centroids))
    const dirty = index.takeDirty()
    if (dirty.length === 0) return
    const put = db.prepare(`INSERT OR REPLACE INTO ${vecTable}_codes (block, ids, codes, lists) VALUES (?, ?, ?, ?)`)
    const remove = db.prepare(`DELETE FROM ${vecTable}_codes WHERE block >= ?`)
    for (const block of dirty) {
      if (block >= index.blocks) continue
      const { ids, codes, lists } = index.block(block)
      put.run(block, bytesOf(ids), bytesOf(codes), lists && bytesOf(lists))
    }
    remove.run(index.blocks)
  }

  const applyDeletes = (vecTable: string, index: SignIndex): boolean => {
    const gone = db.prepare(`SELECT chunk_id FROM ${vecTable}_gone`).pluck().all() as number[]
    if (gone.length === 0) return false
    db.transaction(() => {
      index.remove(new Set(gone))
      persist(vecTable, index)
      db.prepare(`DELETE FROM ${vecTable}_gone`).run()
    })()
    return true
  }

  return {
    create,
    load(vecTable, words) {
      if (!exists.get(`${vecTable}_codes`)) {
        // A collection stored before the blocks: read each vector row once, and never again.
        return db.transaction(() => {
          create(vecTable)
          const rows = db.prepare(`SELECT chunk_id, bits FROM ${vecTable}`).raw().iterate() as Iterable<
            [number, Buffer]
          >
          const index = signIndexFromBlocks(words, [], options)
          for (const [id, bits] of rows)
            index.appendStored(Float64Array.of(id), aligned(bits, Uint32Array, words), null, true)
          index.partitionWhenDue()
          persist(vecTable, index)
          return index
        })()
      }
      upgrade(vecTable)
      const stored = db.prepare(`SELECT centroids FROM ${vecTable}_centroids`).pluck().get() as Buffer | undefined
      const centroids =
        stored && stored.byteLength % (words * 4) === 0 ? aligned(stored, Uint32Array, stored.byteLength / 4) : null
      const count = db.prepare(`SELECT count(*) FROM ${vecTable}_codes`).pluck().get() as number
      const rows = db
        .prepare(`SELECT ids, codes, lists FROM ${vecTable}_codes ORDER BY block`)
        .raw()
        .iterate() as Iterable<[Buffer, Buffer, Buffer | null]>
      const blocks = (function* () {
        for (const [ids, codes, lists] of rows)
          yield {
            ids: aligned(ids, Float64Array, ids.byteLength / 8),
            codes: aligned(codes, Uint32Array, codes.byteLength / 4),
            lists: lists && aligned(lists, Uint16Array, lists.byteLength / 2)
          }
      })()
      const index = signIndexFromBlocks(words, blocks, { ...options, centroids, capacity: count * BLOCK_SLOTS })
      // Lists computed at this start (blocks from before partitions, or partitions trained now) are written once.
      db.transaction(() => persist(vecTable, index))()
      applyDeletes(vecTable, index)
      return index
    },
    applyDeletes,
    persist,
    drop(vecTable) {
      db.exec(
        `DROP TABLE IF EXISTS ${vecTable}_codes; DROP TABLE IF EXISTS ${vecTable}_centroids; DROP TABLE IF EXISTS ${vecTable}_gone;`
      )
    }
  }
}

function bytesOf(array: Float64Array | Uint32Array | Uint16Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength)
}

/** A typed view of a blob, copied only when SQLite's buffer is not aligned for the type. */
function aligned<T extends Float64Array | Uint32Array | Uint16Array>(
  bytes: Buffer,
  Type: {
    new (buffer: ArrayBufferLike, offset: number, length: number): T
    new (length: number): T
    BYTES_PER_ELEMENT: number
  },
  length: number
): T {
  if (bytes.byteOffset % Type.BYTES_PER_ELEMENT === 0) return new Type(bytes.buffer, bytes.byteOffset, length)
  const copy = new Type(length)
  new Uint8Array(copy.buffer).set(bytes.subarray(0, length * Type.BYTES_PER_ELEMENT))
  return copy
}
