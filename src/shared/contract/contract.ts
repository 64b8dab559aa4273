import type { z } from 'zod'
import { call, type CallSpec } from './define'
import { AppInfoSchema, EmptyInputSchema } from './app-schema'
import { ConfigResetInputSchema, ConfigSetInputSchema, ConfigSnapshotSchema } from './config-schema'

/**
 * The one contract between renderer and main. Every call and every pushed
 * event is declared here once; main validates every payload against it, the
 * preload and web bridges carry it, the renderer client is typed by it.
 * Call names are `<capability>.<verb>`: main's handlers are grouped by the prefix.
 */
export const CALLS = {
  'app.info': call({
    scope: 'read',
    summary: 'Version, data locations and schema version of the running core.',
    input: EmptyInputSchema,
    output: AppInfoSchema
  }),
  'config.get': call({
    scope: 'read',
    summary: 'Every setting with its effective value and where that value came from.',
    input: EmptyInputSchema,
    output: ConfigSnapshotSchema
  }),
  'config.set': call({
    scope: 'write',
    summary: 'Store a value in the user settings file and re-resolve.',
    input: ConfigSetInputSchema,
    output: ConfigSnapshotSchema
  }),
  'config.reset': call({
    scope: 'write',
    summary: 'Remove a value from the user settings file and re-resolve.',
    input: ConfigResetInputSchema,
    output: ConfigSnapshotSchema
  })
} as const satisfies Record<string, CallSpec>

export const EVENTS = {
  'config.changed': ConfigSnapshotSchema
} as const satisfies Record<string, z.ZodType>

export type Calls = typeof CALLS
export type CallName = keyof Calls
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>
/** The input as a handler sees it, after validation applied defaults. */
export type CallParsedInput<N extends CallName> = z.output<Calls[N]['input']>
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>
export type Events = typeof EVENTS
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(CALLS, name)
}
