import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../db/database'

/** What is kept of an answer: enough to give it again as it was given. */
export const CachedResponseSchema = z.strictObject({
  text: z.string(),
  model: z.string().nullable(),
  expert: z.string().nullable()
})
export type CachedResponse = z.infer<typeof CachedResponseSchema>

export type CacheLookup<T> =
  | { readonly hit: true; readonly value: T }
  | { readonly hit: false; readonly reason: 'off' | 'absent' | 'expired' | 'corrupt' }

export interface ResponseCache {
  /** An answer given before to the same prompt, so neither the model nor RAG need run. */
  get(prompt: string): CacheLookup<CachedResponse>
  put(prompt: string, response: CachedResponse): void
  /** Removes every entry; returns how many there were. */
  clear(): number
  size(): number
}

/** Lower case, whitespace collapsed, trimmed: "Hello  World\n" and "hello world" are one prompt. */
export function normalizePrompt(prompt: string): string {
  return prompt.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim()
}

export function promptKey(prompt: string): string {
  return createHash('sha256').update(normalizePrompt(prompt)).digest('hex')
}

/**
 * Answers kept in SQLite, so they survive a restart. An entry that does not
 * parse or has the wrong shape (written by an older build, or damaged) is
 * a miss and is removed, never an error.
 */
export function createResponseCache(db: Db, options: { ttlSec: () => number; now?: () => Date }): ResponseCache {
  const now = options.now ?? (() => new Date())
  const select = db.prepare('SELECT payload, expires_at FROM response_cache WHERE key = ?')
  const remove = db.prepare('DELETE FROM response_cache WHERE key = ?')
  const upsert =
    db.prepare(`INSERT INTO response_cache (key, prompt, payload, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET prompt = excluded.prompt, payload = excluded.payload, created_at = excluded.created_at, expires_at = excluded.expires_at`)
  const purgeExpired = db.prepare('DELETE FROM response_cache WHERE expires_at <= ?')

  return {
    get(prompt) {
      if (options.ttlSec() <= 0) return { hit: false, reason: 'off' }
      const key = promptKey(prompt)
      const found = select.get(key) as { payload: string; expires_at: string } | undefined
      if (!found) return { hit: false, reason: 'absent' }
      const expires = Date.parse(found.expires_at)
      if (!(expires > now().getTime())) {
        remove.run(key)
        return { hit: false, reason: Number.isNaN(expires) ? 'corrupt' : 'expired' }
      }
      const parsed = CachedResponseSchema.safeParse(parseJson(found.payload))
      if (!parsed.success) {
        remove.run(key)
        return { hit: false, reason: 'corrupt' }
      }
      return { hit: true, value: parsed.data }
    },
    put(prompt, response) {
      const ttl = options.ttlSec()
      if (ttl <= 0) return
      const at = now()
      purgeExpired.run(at.toISOString())
      upsert.run(
        promptKey(prompt),
        normalizePrompt(prompt),
        JSON.stringify(CachedResponseSchema.parse(response)),
        at.toISOString(),
        new Date(at.getTime() + ttl * 1000).toISOString()
      )
    },
    clear: () => db.prepare('DELETE FROM response_cache').run().changes,
    size: () =>
      (
        db.prepare('SELECT count(*) AS n FROM response_cache WHERE expires_at > ?').get(now().toISOString()) as {
          n: number
        }
      ).n
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
