import { randomFillSync } from 'node:crypto'

// Random bytes drawn 4 KiB at a time: one call per id would cost more than the rest of making it.
const POOL_IDS = 256

/**
 * Task ids are UUIDv7 (RFC 9562): the first 48 bits are the creation time in
 * milliseconds and the next 12 a counter within the millisecond, so ids sort
 * by age. Every b-tree keyed by task id (the primary key, the events' index)
 * then grows at its end instead of at random places, which keeps the pages a
 * group commit dirties few: with random v4 ids the queue ran a third slower.
 */
export function createTaskIds(now: () => number = Date.now): () => string {
  let lastMs = -1
  let counter = 0
  const pool = Buffer.alloc(16 * POOL_IDS)
  let used = POOL_IDS
  return () => {
    let ms = now()
    if (ms <= lastMs) {
      ms = lastMs
      // 4096 ids within one millisecond: borrow the next millisecond rather than repeat or reorder.
      if (++counter > 0xfff) {
        ms = ++lastMs
        counter = 0
      }
    } else {
      lastMs = ms
      counter = 0
    }
    if (used === POOL_IDS) {
      randomFillSync(pool)
      used = 0
    }
    const bytes = pool.subarray(16 * used, 16 * ++used)
    bytes.writeUIntBE(ms, 0, 6)
    bytes[6] = 0x70 | (counter >>> 8)
    bytes[7] = counter & 0xff
    bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
    const hex = bytes.toString('hex')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
}
