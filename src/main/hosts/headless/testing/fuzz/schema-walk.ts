import type { z } from 'zod'

/**
 * The parts of a zod 4 schema's definition the fuzz suite and the limits
 * test read. zod 4 keeps them at `schema._zod.def`; only the kinds the
 * contract's inputs use are listed, and anything else fails loudly in
 * `defOf` so a new kind cannot be skipped silently.
 */
export interface CheckDef {
  readonly check: string
  readonly format?: string
  readonly pattern?: RegExp
  readonly minimum?: number
  readonly maximum?: number
  readonly value?: number
  readonly inclusive?: boolean
}

export type SchemaDef =
  | { readonly type: 'string'; readonly checks?: readonly { _zod: { def: CheckDef } }[] }
  | { readonly type: 'number'; readonly checks?: readonly { _zod: { def: CheckDef } }[] }
  | { readonly type: 'boolean' }
  | { readonly type: 'unknown' }
  | { readonly type: 'literal'; readonly values: readonly unknown[] }
  | { readonly type: 'enum'; readonly entries: Readonly<Record<string, string | number>> }
  | { readonly type: 'optional' | 'nullable' | 'default'; readonly innerType: z.ZodType }
  | { readonly type: 'union'; readonly options: readonly z.ZodType[] }
  | { readonly type: 'object'; readonly shape: Readonly<Record<string, z.ZodType>>; readonly catchall?: z.ZodType }
  | { readonly type: 'array'; readonly element: z.ZodType; readonly checks?: readonly { _zod: { def: CheckDef } }[] }
  | { readonly type: 'record'; readonly keyType: z.ZodType; readonly valueType: z.ZodType }

const KNOWN = new Set([
  'string',
  'number',
  'boolean',
  'unknown',
  'literal',
  'enum',
  'optional',
  'nullable',
  'default',
  'union',
  'object',
  'array',
  'record'
])

export function defOf(schema: z.ZodType): SchemaDef {
  const def = (schema as unknown as { _zod: { def: { type: string } } })._zod.def
  if (!KNOWN.has(def.type))
    throw new Error(
      `The fuzz suite does not know zod schemas of type "${def.type}" yet: teach schema-walk.ts and schema-arbitrary.ts.`
    )
  return def as SchemaDef
}

export function checksOf(def: SchemaDef): CheckDef[] {
  return 'checks' in def && def.checks ? def.checks.map((c) => c._zod.def) : []
}

/** Whether an object field may be left out of an input. */
export function isOmittable(schema: z.ZodType): boolean {
  const type = defOf(schema).type
  return type === 'optional' || type === 'default'
}
