import type { ReactNode } from 'react'
import { describeOutcome, urlPlace, webhookModel } from '../../model/settings/webhook-model'
import { useSelect, useViewModel } from '../../model/use-view-model'

/** Under the Notifications settings: what the webhook queue holds, and a button that sends a test now. */
export function WebhookCard(): ReactNode {
  const model = useViewModel(webhookModel, undefined)
  const status = useSelect(model, (s) => s.status)
  const sending = useSelect(model, (s) => s.sending)
  const outcome = useSelect(model, (s) => s.outcome)
  const error = useSelect(model, (s) => s.error)
  const sendTest = useSelect(model, (s) => s.sendTest)
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
      {status && urlPlace(status) && <p className="muted small">{urlPlace(status)}</p>}
      <button type="button" onClick={() => void sendTest()} disabled={sending || !status?.configured}>
        {sending ? 'Sending…' : 'Send test'}
      </button>{' '}
      {outcome && (
        <span role="status" className={outcome.delivered ? 'ok' : 'error'}>
          {describeOutcome(outcome)}
        </span>
      )}
      {error && (
        <span role="alert" className="error">
          {error.message}
        </span>
      )}
    </div>
  )
}
