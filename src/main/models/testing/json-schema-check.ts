/**
 * The part of JSON Schema a constrained decoder enforces (type, properties,
 * required, additionalProperties, enum, bounds, items), so the fake servers
 * can answer a `format` / `response_format` request the way a real backend
 * does: with JSON of that schema, or not at all.
 */
export function schemaViolation(value: unknown, schema: unknown, path = '$'): string | null {
  if (!schema || typeof schema !== 'object') return null
  const s = schema as Record<string, unknown>
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    return `${path} is ${JSON.stringify(value)}, not one of ${JSON.stringify(s.enum)}`
  const type = s.type
  if (typeof type === 'string' && !hasType(value, type)) return `${path} is not of type ${type}`
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) return `${path} is under ${s.minimum}`
    if (typeof s.maximum === 'number' && value > s.maximum) return `${path} is over ${s.maximum}`
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) return `${path} is shorter than ${s.minLength}`
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) return `${path} is longer than ${s.maxLength}`
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) return `${path} has under ${s.minItems} items`
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return `${path} has over ${s.maxItems} items`
    for (let i = 0; i < value.length; i++) {
      const found = schemaViolation(value[i], s.items, `${path}[${i}]`)
      if (found) return found
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>
    const properties = (s.properties ?? {}) as Record<string, unknown>
    for (const key of Array.isArray(s.required) ? (s.required as string[]) : [])
      if (!(key in object)) return `${path}.${key} is missing`
    for (const [key, item] of Object.entries(object)) {
      if (!(key in properties)) {
        if (s.additionalProperties === false) return `${path}.${key} is not allowed`
        continue
      }
      const found = schemaViolation(item, properties[key], `${path}.${key}`)
      if (found) return found
    }
  }
  return null
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
    case 'array':
      return Array.isArray(value)
    case 'integer':
      return Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'null':
      return value === null
    default:
      return typeof value === type
  }
}

/** A `format` / `json_schema` a server would refuse: not an object schema it can compile into a grammar. */
export function unusableSchema(schema: unknown): string | null {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return 'the schema must be a JSON object'
  const type = (schema as { type?: unknown }).type
  if (type !== undefined && typeof type !== 'string') return 'the schema type must be a string'
  return null
}
