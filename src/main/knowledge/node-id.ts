import { randomBytes } from 'node:crypto'

/**
 * A node's id: a UUID of version 7 (RFC 9562), 48 bits of Unix time in
 * milliseconds, then 12 bits counting ids within the same millisecond,
 * then 62 random bits. Ids made later sort after earlier ones, so the
 * indexes keyed by a node's id (its unique id, its summary, and its
 * chunks' (node_id, ordinal)) grow at their right edge: with random
 * (version 4) ids every new node landed on a random page of each of them,
 * and an import wrote a dirty page of each per node to the WAL and read
 * them back once they outgrew SQLite's cache (ingest 1.30× at 100,000
 * chunks, measured interleaved; README.md). Still a UUID, so ids stored
 * before keep working beside them.
 *
 * If the clock stands still past 4,096 ids or goes back, the time is
 * carried forward from the last id instead, so the order holds.
 */
export function createNodeIds(now: () => number = Date.now): () => string {
  let lastMs = -1
  let counter = 0
  return () => {
    const ms = Math.floor(now())
    if (ms > lastMs) {
      lastMs = ms
      counter = 0
    } else if (++counter > 0xfff) {
      lastMs++
      counter = 0
    }
    const bytes = randomBytes(16)
    bytes.writeUIntBE(lastMs, 0, 6)
    bytes[6] = 0x70 | (counter >> 8)
    bytes[7] = counter & 0xff
    bytes[8] = 0x80 | (bytes[8]! & 0x3f)
    const hex = bytes.toString('hex')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
}
