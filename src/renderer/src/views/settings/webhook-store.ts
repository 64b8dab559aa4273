import { createStore } from 'zustand/vanilla'
import type { KosClient } from '../../../../shared/contract/client'
import type { DeliveryOutcome, NotifyStatus } from '../../../../shared/contract/notify-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import type { ViewStore } from '../../store/use-view-store'

export interface WebhookState {
  readonly status: NotifyStatus | null
  readonly sending: boolean
  readonly outcome: DeliveryOutcome | null
  readonly error: RpcError | null
  load(): Promise<void>
  sendTest(): Promise<void>
}

/** The webhook card's view-model: the queue's state, and the outcome of the last "Send test". */
export function createWebhookStore(client: KosClient): ViewStore<WebhookState> {
  const store = createStore<WebhookState>()((set) => ({
    status: null,
    sending: false,
    outcome: null,
    error: null,
    async load() {
      const result = await client.call('notify.status', {})
      set(result.ok ? { status: result.value } : { error: result.error })
    },
    async sendTest() {
      set({ sending: true, outcome: null, error: null })
      const result = await client.call('notify.test', {})
      set(result.ok ? { sending: false, outcome: result.value } : { sending: false, error: result.error })
      await store.getState().load()
    }
  }))
  // A changed URL or format changes what the card reports.
  const off = client.on('config.changed', () => void store.getState().load())
  return Object.assign(store, { dispose: off })
}

export function describeOutcome(outcome: DeliveryOutcome): string {
  if (outcome.delivered) return `Delivered: the endpoint answered HTTP ${outcome.status ?? '2xx'}.`
  return `Not delivered: ${outcome.error ?? 'no answer'}.`
}
