import type { z } from 'zod'
import type { CallSpec } from './define'

/** Calls and events of the models capability. */
export const MODELS_CALLS = {} as const satisfies Record<string, CallSpec>

export const MODELS_EVENTS = {} as const satisfies Record<string, z.ZodType>
