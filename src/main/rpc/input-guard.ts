import { MAX_INPUT_DEPTH } from '../../shared/contract/limits'

export type GuardVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: 'depth'; readonly path: string }
  | { readonly ok: false; readonly kind: 'size'; readonly bytes: number }
  | { readonly ok: false; readonly kind: 'proto'; readonly path: string }

/**
 * Walks an input once, without recursion, before any schema does: a schema
 * (or JSON.stringify in a log line) recurses, and a payload nested thousands
 * of levels deep would overflow the stack and surface as `internal`. Also
 * bounds the input's size for transports that carry objects, not bytes (IPC),
 * counting at least one byte per character, and refuses `__proto__` keys,
 * which a record schema would turn into a prototype.
 */
export function guardInput(input: unknown, maxBytes: number, maxDepth = MAX_INPUT_DEPTH): GuardVerdict {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: input, depth: 0, path: '' }]
  let bytes = 0
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!
    if (typeof value === 'string') bytes += value.length + 2
    else if (value === null || typeof value !== 'object') bytes += 8
    else {
      if (depth >= maxDepth) return { ok: false, kind: 'depth', path }
      bytes += 2
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--)
          stack.push({ value: value[i], depth: depth + 1, path: join(path, String(i)) })
      } else {
        for (const key of Object.keys(value)) {
          if (key === '__proto__') return { ok: false, kind: 'proto', path: join(path, key) }
          bytes += key.length + 3
          stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: join(path, key) })
        }
      }
    }
    if (bytes > maxBytes) return { ok: false, kind: 'size', bytes }
  }
  return { ok: true }
}

const join = (path: string, key: string): string => (path === '' ? key : path.length > 200 ? path : `${path}.${key}`)
