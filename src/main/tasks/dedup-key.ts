import { createHash, webcrypto } from 'node:crypto'

/** Case, spacing and Unicode forms do not make two tasks different. */
export function normalizeForDedup(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}

/**
 * The key two tasks share when they ask the same thing of the same expert.
 * SubtleCrypto digests on libuv's thread pool, so a 100 kB description never
 * blocks the event loop that carries the workers' heartbeats.
 */
export async function dedupKey(title: string, description: string, expert: string | null): Promise<string> {
  const digest = await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode(keyText(title, description, expert)))
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
