import type { WebhookFormat } from '../../shared/contract/notify-contract'
import type { Notification, Severity } from './notification'

export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** ntfy's priorities: 3 is its default, 4 high, 5 urgent (https://docs.ntfy.sh/publish/#message-priority). */
const NTFY_PRIORITY: Readonly<Record<Severity, string>> = { info: '3', warning: '4', critical: '5' }
/** ntfy turns tags that name an emoji into that emoji before the title. */
const NTFY_TAG: Readonly<Record<Severity, string>> = {
  info: 'information_source',
  warning: 'warning',
  critical: 'rotating_light'
}
const SLACK_ICON: Readonly<Record<Severity, string>> = {
  info: ':information_source:',
  warning: ':warning:',
  critical: ':rotating_light:'
}

/**
 * The request a notification becomes for the chosen format. ntfy: POST the text to the topic URL
 * with Title, Priority and Tags headers; Slack: an incoming webhook's `{"text": …}` in mrkdwn;
 * json: every field, for a script or an automation tool to route on.
 */
export function webhookRequest(format: WebhookFormat, n: Notification): WebhookRequest {
  switch (format) {
    case 'ntfy':
      return {
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          // HTTP headers carry Latin-1 only; ntfy decodes RFC 2047 encoded words, so any title survives.
          title: encodeHeader(n.title),
          priority: NTFY_PRIORITY[n.severity],
          tags: `${NTFY_TAG[n.severity]},kos,${n.kind}`
        },
        body: n.message
      }
    case 'slack':
      return {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `${SLACK_ICON[n.severity]} *${slackEscape(n.title)}*\n${slackEscape(n.message)}` })
      }
    case 'json':
      return {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          source: 'knowledge-os',
          kind: n.kind,
          severity: n.severity,
          title: n.title,
          message: n.message,
          at: n.at,
          details: n.details
        })
      }
  }
}

function encodeHeader(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`
}

/** Slack's mrkdwn needs only these three escaped (https://api.slack.com/reference/surfaces/formatting#escaping). */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
