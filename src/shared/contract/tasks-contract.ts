import type { z } from 'zod'
import type { CallSpec } from './define'

/** Calls and events of the tasks capability. */
export const TASKS_CALLS = {} as const satisfies Record<string, CallSpec>

export const TASKS_EVENTS = {} as const satisfies Record<string, z.ZodType>
