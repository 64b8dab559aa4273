import { createHash, webcrypto } from 'node:crypto'

/** Case, spacing and Unicode forms do not make two tasks different. */
export function normalizeForDedup(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}

/**
 * Up to this many characters a key is hashed on this thread: a few
 * microseconds, where a hop to libuv's thread pool waits behind the WAL's
 * fsyncs (the same four threads) for milliseconds.
 */
const HASH_HERE_UP_TO = 16_384

/**
 * The key two tasks share when they ask the same thing of the same expert.
 * A long text is digested by SubtleCrypto on libuv's thread pool, so a 100 kB
 * description never blocks the event loop that carries the workers' heartbeats.
 */
export async function dedupKey(title: string, description: string, expert: string | null): Promise<string> {
  const text = keyText(title, description, expert)
  if (text.length <= HASH_HERE_UP_TO) return createHash('sha256').update(text).digest('hex')
  const digest = await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Buffer.from(digest).toString('hex')
}

/** The same key, hashed on this thread, for in-core callers that need the task synchronously. */
export function dedupKeyNow(title: string, description: string, expert: string | null): string {
  return createHash('sha256')
    .update(keyText(title, description, expert))
    .digest('hex')
}

function keyText(title: string, description: string, expert: string | null): string {
  return `${normalizeForDedup(title)}\u0000${normalizeForDedup(description)}\u0000${expert ?? ''}`
}
