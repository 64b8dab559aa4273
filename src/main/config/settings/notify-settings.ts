import { WEBHOOK_FORMATS } from '../../../shared/contract/notify-contract'
import { choice, integer, optionalUrl, type SettingDefinition } from '../setting-builders'

/** Where the owner hears about what happened while nobody watched the window. */
export const NOTIFY_SETTINGS = {
  'notify.webhookUrl': optionalUrl({
    category: 'Notifications',
    label: 'Webhook URL',
    description:
      "Empty sends nothing. A URL that receives a POST for health changes, manual review, open circuits, a passed token budget and the daily digest (the operators' RECOVERY_WEBHOOK_URL). Saved, it moves into the keychain, out of the settings file: a Slack webhook URL is a secret.",
    env: ['KOS_WEBHOOK_URL', 'RECOVERY_WEBHOOK_URL'],
    applies: 'live',
    inProfiles: false,
    secret: true
  }),
  'notify.webhookFormat': choice(WEBHOOK_FORMATS, 'json', {
    category: 'Notifications',
    label: 'Webhook format',
    description:
      'The body sent: json (kind, title, message, severity, details), ntfy (a topic URL such as https://ntfy.sh/my-mac-mini: text with Title, Priority and Tags headers) or slack (an incoming-webhook URL: {"text": …}).',
    env: ['KOS_WEBHOOK_FORMAT'],
    applies: 'live',
    inProfiles: false
  }),
  'notify.digestHour': integer(-1, 23, 'hour', 8, {
    category: 'Notifications',
    label: 'Morning digest at',
    description:
      'The local hour the digest of the last day is sent to the webhook (the Overview shows it too); also where "since this morning" starts. -1 never sends it.',
    env: ['KOS_DIGEST_HOUR'],
    applies: 'live',
    inProfiles: false
  })
} satisfies Record<string, SettingDefinition>
