import { createStore, type StoreApi } from 'zustand/vanilla'
import type { KosClient } from '../../../shared/contract/client'
import type { EventName, EventPayload } from '../../../shared/contract/contract'
import type { ConnectionStatus } from '../../../shared/contract/wire'

/** What a view model's actions, event appliers and reload work with. */
export interface ViewModelApi<S, L = undefined> {
  readonly client: KosClient
  get(): S
  set(patch: Partial<S> | ((state: S) => Partial<S>)): void
  /** This instance's own bookkeeping that views never read (timers, read generations). */
  readonly local: L
}

/** How a view model folds each pushed event it listens to into its state. */
export type EventAppliers<S, L = undefined> = {
  readonly [E in EventName]?: (payload: EventPayload<E>, api: ViewModelApi<S, L>) => void
}

/**
 * One view's model, declared once: the state it starts from, its actions, the
 * pushed events it applies, what it reads when it opens and after every
 * reconnect (events sent while the link was down are lost), and what it
 * releases when the view closes. Views read it only through selectors.
 */
export interface ViewModelDefinition<D extends object, A extends object, P = void, L = undefined> {
  initialState(params: P): D
  actions(api: ViewModelApi<D & A, L>, params: P): A
  readonly events?: EventAppliers<D & A, L>
  reload(api: ViewModelApi<D & A, L>, params: P): Promise<void>
  /** Applies the connection's status, for a model that shows it. */
  status?(status: ConnectionStatus, api: ViewModelApi<D & A, L>): void
  /** Makes the instance's `local` bookkeeping. */
  local?(): L
  /** Releases what the instance holds besides its subscriptions (timers). */
  dispose?(api: ViewModelApi<D & A, L>): void
}

/** A live view model: a zustand store that `connect()` attaches to the core. */
export interface ViewModel<S> extends StoreApi<S> {
  /** Subscribes to the events and the connection (reading now if connected); returns the disposal. */
  connect(): () => void
}

export function defineViewModel<D extends object, A extends object, P = void, L = undefined>(
  definition: ViewModelDefinition<D, A, P, L>
): ViewModelDefinition<D, A, P, L> {
  return definition
}

export function createViewModel<D extends object, A extends object, P, L>(
  definition: ViewModelDefinition<D, A, P, L>,
  client: KosClient,
  params: P
): ViewModel<D & A> {
  type S = D & A
  const local = definition.local?.() as L
  let bound: ViewModelApi<S, L> | undefined
  const store = createStore<S>()((set, get) => {
    bound = { client, get, set: (patch) => set(patch as Partial<S>), local }
    return { ...definition.initialState(params), ...definition.actions(bound, params) }
  })
  const api = bound as ViewModelApi<S, L>
  const connect = (): (() => void) => {
    const appliers = Object.entries(definition.events ?? {}) as [
      EventName,
      (payload: unknown, api: ViewModelApi<S, L>) => void
    ][]
    const offs = appliers.map(([name, apply]) => client.on(name, (payload) => apply(payload, api)))
    // The bridge reports the current status at once: a connected view model reads now, one
    // opened while connecting reads when the link comes up, and each reconnect reads again.
    offs.push(
      client.onStatus((status) => {
        definition.status?.(status, api)
        if (status === 'connected') void definition.reload(api, params)
      })
    )
    return () => {
      for (const off of offs) off()
      definition.dispose?.(api)
    }
  }
  return Object.assign(store, { connect })
}
