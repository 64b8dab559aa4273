/**
 * JSON with sorted keys and no insignificant whitespace, so the same report
 * always has the same bytes and the same SHA-256. Values JSON cannot carry
 * faithfully (NaN, Infinity, undefined in arrays, functions) are refused
 * rather than silently changed.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$')
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'string':
      return JSON.stringify(value)
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which canonical JSON cannot hold`)
      return JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v, i) => write(v, `${path}[${i}]`)).join(',')}]`
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v, `${path}.${k}`)}`).join(',')}}`
    }
    default:
      throw new TypeError(`${path} is a ${typeof value}, which JSON cannot hold`)
  }
}
