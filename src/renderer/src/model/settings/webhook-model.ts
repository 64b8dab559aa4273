import type { DeliveryOutcome, NotifyStatus } from '../../../../shared/contract/notify-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { defineViewModel, type ViewModelApi } from '../view-model'

export interface WebhookData {
  readonly status: NotifyStatus | null
  readonly sending: boolean
  readonly outcome: DeliveryOutcome | null
  readonly error: RpcError | null
}

export interface WebhookActions {
  sendTest(): Promise<void>
}

type Api = ViewModelApi<WebhookData & WebhookActions>

const readStatus = async ({ client, set }: Api): Promise<void> => {
  const result = await client.call('notify.status', {})
  set(result.ok ? { status: result.value } : { error: result.error })
}

/** The webhook card under Settings → Notifications: the queue's counts, and "Send test". */
export const webhookModel = defineViewModel<WebhookData, WebhookActions>({
  initialState: () => ({ status: null, sending: false, outcome: null, error: null }),
  actions: (api) => ({
    async sendTest() {
      api.set({ sending: true, outcome: null, error: null })
      const result = await api.client.call('notify.test', {})
      api.set(result.ok ? { sending: false, outcome: result.value } : { sending: false, error: result.error })
      await readStatus(api)
    }
  }),
  // A changed URL or format changes what the card reports.
  events: { 'config.changed': (_payload, api) => void readStatus(api) },
  reload: readStatus
})

export function describeOutcome(outcome: DeliveryOutcome): string {
  if (outcome.delivered) return `Delivered: the endpoint answered HTTP ${outcome.status ?? '2xx'}.`
  return `Not delivered: ${outcome.error ?? 'no answer'}.`
}

/** Where the webhook URL is kept, in words; it may be a Slack secret, so the settings file is the case to fix. */
export function urlPlace(status: NotifyStatus): string | null {
  if (status.urlFrom === 'keychain') return 'The URL is kept in the keychain, not in the settings file.'
  if (status.urlFrom === 'environment') return 'The URL comes from the environment this app was started with.'
  if (status.urlFrom === 'settings')
    return 'The URL is kept in the settings file: this host has no keychain to keep it in. Pass it in KOS_WEBHOOK_URL instead to keep it out of the file.'
  return null
}
