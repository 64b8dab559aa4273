import { z } from 'zod'
import type { CallFrame } from '../../shared/contract/wire'

/** The shape every call frame must have before its payload is even looked at. */
export const CallFrameSchema: z.ZodType<CallFrame> = z.strictObject({
  type: z.literal('call'),
  id: z.union([z.string().min(1).max(64), z.number().int().nonnegative()]),
  name: z.string().min(1).max(128),
  input: z.unknown()
})
