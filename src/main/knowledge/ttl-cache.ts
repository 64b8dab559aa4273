/**
 * A small in-memory map whose entries expire; the oldest entry goes first
 * when it is full. TTL is read on every use so a changed setting applies at
 * once; a TTL of 0 turns the cache off.
 */
export interface TtlCache<V> {
  get(key: string): V | undefined
  set(key: string, value: V): void
  clear(): void
  readonly size: number
}

export function createTtlCache<V>(options: {
  ttlSec: () => number
  maxEntries: number
  now?: () => number
}): TtlCache<V> {
  const now = options.now ?? Date.now
  const entries = new Map<string, { value: V; expiresAt: number }>()
  return {
    get(key) {
      const entry = entries.get(key)
      if (!entry) return undefined
      if (options.ttlSec() <= 0 || entry.expiresAt <= now()) {
        entries.delete(key)
        return undefined
      }
      return entry.value
    },
    set(key, value) {
      const ttl = options.ttlSec()
      if (ttl <= 0) return
      entries.delete(key)
      entries.set(key, { value, expiresAt: now() + ttl * 1000 })
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string)
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size
    }
  }
}
