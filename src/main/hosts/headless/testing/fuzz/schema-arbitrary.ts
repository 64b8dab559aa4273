import fc from 'fast-check'
import type { z } from 'zod'
import { checksOf, defOf, isOmittable } from './schema-walk'

/** Generated strings stay short; the hostile-frame generators send the huge ones. */
const MAX_GENERATED_CHARS = 80

/**
 * A fast-check arbitrary for the inputs a zod 4 schema accepts (mostly: a
 * trimmed field may still come out blank, which the schema then refuses, and
 * the suite counts that as the typed error it is).
 */
export function arbitraryOf(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema)
  switch (def.type) {
    case 'string': {
      const checks = checksOf(def)
      const regex = checks.find((c) => c.format === 'regex')?.pattern
      // fast-check takes no flags; without `i` it generates a subset of what the schema matches.
      if (regex) return fc.stringMatching(new RegExp(regex.source))
      const minLength = checks.find((c) => c.check === 'min_length')?.minimum ?? 0
      const maxLength = Math.max(
        minLength,
        Math.min(checks.find((c) => c.check === 'max_length')?.maximum ?? MAX_GENERATED_CHARS, MAX_GENERATED_CHARS)
      )
      return fc.oneof(
        ...(['grapheme-ascii', 'grapheme', 'binary'] as const).map((unit) => fc.string({ minLength, maxLength, unit }))
      )
    }
    case 'number': {
      const checks = checksOf(def)
      const min = checks.find((c) => c.check === 'greater_than')
      const max = checks.find((c) => c.check === 'less_than')
      if (checks.some((c) => c.format === 'safeint')) {
        return fc.integer({
          min: min ? Math.ceil(min.value! + (min.inclusive ? 0 : 1)) : -1_000_000,
          max: max ? Math.floor(max.value! - (max.inclusive ? 0 : 1)) : 1_000_000
        })
      }
      return fc.double({
        min: min?.value ?? -1e6,
        max: max?.value ?? 1e6,
        noNaN: true,
        minExcluded: min ? !min.inclusive : false,
        maxExcluded: max ? !max.inclusive : false
      })
    }
    case 'boolean':
      return fc.boolean()
    case 'unknown':
      return fc.jsonValue({ maxDepth: 3 })
    case 'literal':
      return fc.constantFrom(...def.values)
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries))
    case 'optional':
    case 'default':
      return fc.option(arbitraryOf(def.innerType), { nil: undefined })
    case 'nullable':
      return fc.option(arbitraryOf(def.innerType), { nil: null })
    case 'union':
      return fc.oneof(...def.options.map(arbitraryOf))
    case 'object': {
      const shape = Object.fromEntries(Object.entries(def.shape).map(([key, value]) => [key, arbitraryOf(value)]))
      const requiredKeys = Object.keys(def.shape).filter((key) => !isOmittable(def.shape[key]!))
      return fc.record(shape, { requiredKeys })
    }
    case 'array': {
      const checks = checksOf(def)
      const minLength = checks.find((c) => c.check === 'min_length')?.minimum ?? 0
      const maxLength = Math.max(minLength, Math.min(checks.find((c) => c.check === 'max_length')?.maximum ?? 5, 5))
      return fc.array(arbitraryOf(def.element), { minLength, maxLength })
    }
    case 'record':
      return fc.dictionary(arbitraryOf(def.keyType) as fc.Arbitrary<string>, arbitraryOf(def.valueType), { maxKeys: 5 })
  }
}
