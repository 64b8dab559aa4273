import type { z } from 'zod'

/** What a caller must hold to make a call: read-only tokens hold `read` only. */
export type Scope = 'read' | 'write'

export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly scope: Scope
  readonly summary: string
  readonly input: I
  readonly output: O
}

export function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec
}
