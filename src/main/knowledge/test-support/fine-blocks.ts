import type { Db } from '../../db/database'
import { quantizeFine } from '../fine-codes'

/**
 * Why the stored fine blocks of a collection disagree with its code blocks
 * or its vector rows, or null when every one agrees: the same ids in the
 * same slots as the code block of that number, and each slot's factor and
 * int8s what its vector row quantizes to now.
 */
export function fineBlocksDisagree(db: Db, vecTable: string, dimension: number): string | null {
  const rows = db.prepare(`SELECT block, ids, fine FROM ${vecTable}_fine ORDER BY block`).raw().all() as [
    number,
    Buffer,
    Buffer
  ][]
  const codeIds = db.prepare(`SELECT ids FROM ${vecTable}_codes WHERE block = ?`).pluck()
  const vectorOf = db.prepare(`SELECT embedding FROM ${vecTable} WHERE chunk_id = ?`).pluck()
  const want = new Int8Array(dimension)
  for (const [block, idBytes, fine] of rows) {
    const ids = new Float64Array(new Uint8Array(idBytes).buffer)
    const stored = codeIds.get(block) as Buffer | undefined
    if (!stored || !Buffer.from(idBytes).equals(stored))
      return `fine block ${block} holds other ids than code block ${block}`
    const bytes = new Uint8Array(fine)
    const factors = new Float32Array(bytes.buffer, 0, ids.length)
    const codes = new Int8Array(bytes.buffer, ids.length * 4, ids.length * dimension)
    for (let slot = 0; slot < ids.length; slot++) {
      const vector = vectorOf.get(ids[slot]) as Buffer | undefined
      if (!vector) return `fine block ${block} holds chunk ${ids[slot]}, which has no vector`
      const factor = quantizeFine(new Float32Array(new Uint8Array(vector).buffer), want, 0)
      if (Math.fround(factor) !== factors[slot])
        return `chunk ${ids[slot]}: stored factor ${factors[slot]}, vector gives ${factor}`
      for (let i = 0; i < dimension; i++)
        if (codes[slot * dimension + i] !== want[i]) return `chunk ${ids[slot]}: int8 ${i} differs from its vector's`
    }
  }
  return null
}
