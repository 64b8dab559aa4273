import type { z } from 'zod'
import type { CallSpec } from './define'
import { APP_CALLS, APP_EVENTS } from './app-contract'
import { APPROVALS_CALLS, APPROVALS_EVENTS } from './approvals-contract'
import { BOARD_CALLS, BOARD_EVENTS } from './board-contract'
import { CHAT_CALLS, CHAT_EVENTS } from './chat-contract'
import { CHECKLIST_CALLS, CHECKLIST_EVENTS } from './checklist-contract'
import { CONFIG_CALLS, CONFIG_EVENTS } from './config-contract'
import { DIGEST_CALLS, DIGEST_EVENTS } from './digest-contract'
import { KNOWLEDGE_CALLS, KNOWLEDGE_EVENTS } from './knowledge-contract'
import { METRICS_CALLS } from './metrics-contract'
import { MODELS_CALLS, MODELS_EVENTS } from './models-contract'
import { NOTIFY_CALLS } from './notify-contract'
import { ONBOARDING_CALLS, ONBOARDING_EVENTS } from './onboarding-contract'
import { OVERVIEW_CALLS, OVERVIEW_EVENTS } from './overview-contract'
import { REVIEW_CALLS } from './review-contract'
import { SECRETS_CALLS } from './secrets-contract'
import { TASKS_CALLS, TASKS_EVENTS } from './tasks-contract'
import { TRAIL_CALLS } from './trail-contract'
import { USAGE_CALLS, USAGE_EVENTS } from './usage-contract'
import { VALIDATION_CALLS } from './validation-contract'
import { WORKFLOWS_CALLS, WORKFLOWS_EVENTS } from './workflows-contract'

/**
 * The one contract between renderer and main. Every call and every pushed
 * event is declared once, in its capability's `<capability>-contract.ts`, and
 * gathered here; main validates every payload against it, the preload and
 * web bridges carry it, the renderer client is typed by it. Call names are
 * `<capability>.<verb>`: main's handlers are grouped by that prefix.
 */
export const CALLS = {
  ...APP_CALLS,
  ...CONFIG_CALLS,
  ...TASKS_CALLS,
  ...MODELS_CALLS,
  ...KNOWLEDGE_CALLS,
  ...CHAT_CALLS,
  ...BOARD_CALLS,
  ...CHECKLIST_CALLS,
  ...OVERVIEW_CALLS,
  ...SECRETS_CALLS,
  ...NOTIFY_CALLS,
  ...DIGEST_CALLS,
  ...METRICS_CALLS,
  ...APPROVALS_CALLS,
  ...VALIDATION_CALLS,
  ...WORKFLOWS_CALLS,
  ...ONBOARDING_CALLS,
  ...USAGE_CALLS,
  ...TRAIL_CALLS,
  ...REVIEW_CALLS
} as const satisfies Record<string, CallSpec>

export const EVENTS = {
  ...APP_EVENTS,
  ...CONFIG_EVENTS,
  ...TASKS_EVENTS,
  ...MODELS_EVENTS,
  ...KNOWLEDGE_EVENTS,
  ...CHAT_EVENTS,
  ...BOARD_EVENTS,
  ...CHECKLIST_EVENTS,
  ...OVERVIEW_EVENTS,
  ...DIGEST_EVENTS,
  ...APPROVALS_EVENTS,
  ...WORKFLOWS_EVENTS,
  ...ONBOARDING_EVENTS,
  ...USAGE_EVENTS
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
