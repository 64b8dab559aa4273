import type { ReactNode } from 'react'
import { useViewStore } from '../../store/use-view-store'
import { createWebhookStore, describeOutcome } from './webhook-store'

/** Under the Notifications settings: what the webhook queue holds, and a button that sends a test now. */
export function WebhookCard(): ReactNode {
  const { status, sending, outcome, error, sendTest } = useViewStore(createWebhookStore)
  return (
    <div className="webhook-card" aria-label="Webhook">
      <p className="muted" role="status">
        {!status
          ? 'Reading the webhook queue…'
          : !status.configured
            ? 'No webhook URL is set: nothing is sent.'
            : `Delivered ${status.delivered}, waiting ${status.queued}, given up ${status.failed}, dropped ${status.dropped}` +
              (status.lastDeliveredAt ? `; last delivered ${new Date(status.lastDeliveredAt).toLocaleString()}` : '') +
              (status.lastError ? `; last error: ${status.lastError}` : '')}
      </p>
      <button type="button" onClick={() => void sendTest()} disabled={sending || !status?.configured}>
        {sending ? 'Sending…' : 'Send test'}
      </button>{' '}
      {outcome && <span role="status" className={outcome.delivered ? 'ok' : 'error'}>{describeOutcome(outcome)}</span>}
      {error && <span role="alert" className="error">{error.message}</span>}
    </div>
  )
}
