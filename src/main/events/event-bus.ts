import type { EventName, EventPayload } from '../../shared/contract/contract'
import type { EventFrame } from '../../shared/contract/wire'

export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void
  /** Every event, as the frame the hosts forward to their clients. */
  subscribe(listener: (frame: EventFrame) => void): () => void
}

export function createEventBus(onListenerError: (error: unknown) => void): EventBus {
  const listeners = new Set<(frame: EventFrame) => void>()
  return {
    emit(name, payload) {
      const frame: EventFrame = { type: 'event', name, payload }
      for (const listener of listeners) {
        try {
          listener(frame)
        } catch (error) {
          onListenerError(error)
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}
