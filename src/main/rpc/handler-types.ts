import type { CallName, CallOutput, CallParsedInput } from '../../shared/contract/contract'
import type { Scope } from '../../shared/contract/define'
import type { Logger } from '../log/logger'
import type { Refusal } from './refusal'

/** How a call reached the dispatcher; 'in-process' is a part of main calling through its own contract (checklist, Overview, tray). */
export type Transport = 'ipc' | 'ws' | 'http' | 'cli' | 'in-process'

export interface CallContext {
  readonly scopes: ReadonlySet<Scope>
  readonly transport: Transport
  readonly correlationId: string
  /** Already carries correlation_id and the call name. */
  readonly log: Logger
}

/** A handler answers with the call's output, or with a Refusal (rpc/refusal.ts) when its service's outcome says no. */
export type Handler<N extends CallName> = (
  input: CallParsedInput<N>,
  ctx: CallContext
) => CallOutput<N> | Refusal | Promise<CallOutput<N> | Refusal>

export type Handlers = { readonly [N in CallName]: Handler<N> }

/** The handlers of one capability: every call whose name starts with `<prefix>.`. */
export type HandlersFor<P extends string> = {
  readonly [N in CallName as N extends `${P}.${string}` ? N : never]: Handler<N>
}

/**
 * What a capability (tasks, models, knowledge, …) hands the composition
 * root: the handlers of its calls, and how to stop its background work.
 */
export interface Capability<P extends string> {
  readonly handlers: HandlersFor<P>
  stop?(): Promise<void> | void
  /** After the machine wakes from sleep: check what died meanwhile and bring it back. */
  onSystemResume?(): Promise<void> | void
}
