import type { z } from 'zod'
import type { CallSpec } from './define'

/** Calls and events of the knowledge capability. */
export const KNOWLEDGE_CALLS = {} as const satisfies Record<string, CallSpec>

export const KNOWLEDGE_EVENTS = {} as const satisfies Record<string, z.ZodType>
