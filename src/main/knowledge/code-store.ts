import type { Db } from '../db/database'
import { quantizeFine } from './fine-codes'
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
 *
 * Each block's fine codes (int8 per dimension, fine-codes.ts; 197 KiB per
 * block at 768 dimensions) are in `<collection>_fine`, written with the
 * code blocks when every slot of the block has them and deleted otherwise,
 * so a stored fine block always describes its code block. A start does not
 * read them: `warmFine` does, a few blocks at a time in the background
 * (computing those of blocks stored before them from the vector rows, once),
 * and until a slot has its fine code its candidate is rescored from its
 * vector row.
 */
export interface CodeStore {
  /** Creates the tables of a new collection, empty. */
  create(vecTable: string): void
  /** The collection's codes: from the blocks, or built once from the vector rows for a collection stored before blocks existed. */
  load(vecTable: string, words: number, fineDimension?: number): SignIndex
  /** Gives up to `maxBlocks` blocks their fine codes; false once every slot has them. */
  warmFine(vecTable: string, index: SignIndex, maxBlocks: number): boolean
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
      CREATE TABLE IF NOT EXISTS ${vecTable}_fine (block INTEGER PRIMARY KEY, ids BLOB NOT NULL, fine BLOB NOT NULL) STRICT;
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
      writeFine(vecTable, index, block)
    }
    remove.run(index.blocks)
    db.prepare(`DELETE FROM ${vecTable}_fine WHERE block >= ?`).run(index.blocks)
  }

  const writeFine = (vecTable: string, index: SignIndex, block: number): void => {
    const fine = index.fineBlock(block)
    if (fine)
      db.prepare(`INSERT OR REPLACE INTO ${vecTable}_fine (block, ids, fine) VALUES (?, ?, ?)`).run(
        block,
        bytesOf(fine.ids),
        bytesOf(fine.bytes)
      )
    else db.prepare(`DELETE FROM ${vecTable}_fine WHERE block = ?`).run(block)
  }

  /** Where `warmFine` goes on from, per index: blocks before it had every fine code when it passed. */
  const warmed = new WeakMap<SignIndex, number>()

  const warmFine = (vecTable: string, index: SignIndex, maxBlocks: number): boolean => {
    const dimension = index.fineDimension
    if (dimension === 0) return false
    const { factors } = index.fine
    let block = warmed.get(index) ?? 0
    for (let done = 0; block < index.blocks && done < maxBlocks; block++) {
      const from = block * BLOCK_SLOTS
      const to = Math.min(index.size, from + BLOCK_SLOTS)
      const missing: number[] = []
      for (let slot = from; slot < to; slot++) if (Number.isNaN(factors[slot]!)) missing.push(slot)
      if (missing.length === 0) continue
      done++
      const stored = db.prepare(`SELECT ids, fine FROM ${vecTable}_fine WHERE block = ?`).raw().get(block) as
        [Buffer, Buffer] | undefined
      if (stored) {
        const ids = aligned(stored[0], Float64Array, stored[0].byteLength / 8)
        const n = ids.length
        const storedFactors = aligned(stored[1], Float32Array, n)
        const codes = new Int8Array(stored[1].buffer, stored[1].byteOffset + n * 4, n * dimension)
        // Only slots that still hold the id stored for them: anything else is read from its vector below.
        for (const slot of missing)
          if (slot - from < n && ids[slot - from] === index.idAt(slot))
            index.setFine(slot, {
              factor: storedFactors[slot - from]!,
              codes: codes.subarray((slot - from) * dimension, (slot - from + 1) * dimension)
            })
      }
      const left = missing.filter((slot) => Number.isNaN(index.fine.factors[slot]!))
      if (left.length === 0) continue
      const rows = db
        .prepare(`SELECT chunk_id, embedding FROM ${vecTable} WHERE chunk_id IN (SELECT value FROM json_each(?))`)
        .raw()
        .all(JSON.stringify(left.map((slot) => index.idAt(slot)))) as [number, Buffer][]
      const vectors = new Map(rows.map(([id, bytes]) => [id, aligned(bytes, Float32Array, bytes.byteLength / 4)]))
      const codes = new Int8Array(dimension)
      for (const slot of left) {
        const vector = vectors.get(index.idAt(slot))
        if (vector && vector.length === dimension)
          index.setFine(slot, { factor: quantizeFine(vector, codes, 0), codes })
      }
      db.transaction(() => writeFine(vecTable, index, block))()
    }
    // A pass that reached the end starts again from the first block next time: a slot may have moved behind it since.
    warmed.set(index, block < index.blocks ? block : 0)
    return block < index.blocks
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
    load(vecTable, words, fineDimension = 0) {
      if (!exists.get(`${vecTable}_codes`)) {
        // A collection stored before the blocks: read each vector row once, and never again.
        return db.transaction(() => {
          create(vecTable)
          const rows = db.prepare(`SELECT chunk_id, bits FROM ${vecTable}`).raw().iterate() as Iterable<
            [number, Buffer]
          >
          const index = signIndexFromBlocks(words, [], { ...options, fineDimension })
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
      const index = signIndexFromBlocks(words, blocks, {
        ...options,
        centroids,
        capacity: count * BLOCK_SLOTS,
        fineDimension
      })
      // Lists computed at this start (blocks from before partitions, or partitions trained now) are written once.
      db.transaction(() => persist(vecTable, index))()
      applyDeletes(vecTable, index)
      return index
    },
    applyDeletes,
    persist,
    warmFine,
    drop(vecTable) {
      db.exec(
        `DROP TABLE IF EXISTS ${vecTable}_codes; DROP TABLE IF EXISTS ${vecTable}_centroids; DROP TABLE IF EXISTS ${vecTable}_gone; DROP TABLE IF EXISTS ${vecTable}_fine;`
      )
    }
  }
}

function bytesOf(array: Float64Array | Uint32Array | Uint16Array | Uint8Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength)
}

/** A typed view of a blob, copied only when SQLite's buffer is not aligned for the type. */
function aligned<T extends Float64Array | Float32Array | Uint32Array | Uint16Array>(
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
