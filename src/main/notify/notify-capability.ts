import type { ConfigService } from '../config/config-service'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { Capability } from '../rpc/handler-types'
import type { SecretStore } from '../secrets/secret-store'
import { createEventNotifications } from './event-notifications'
import type { Notification } from './notification'
import { postWebhook, type PostWebhook } from './webhook-post'
import { realClock, type TimerClock } from '../platform/timer-clock'
import { createWebhookSender, type SenderLimits, type WebhookSender } from './webhook-sender'
import { createWebhookSecretMover, webhookUrl } from './webhook-secret'

export interface NotifyCapability extends Capability<'notify'> {
  readonly sender: WebhookSender
  /** Tells the owner something the events do not carry (the digest). */
  notify(notification: Notification): void
}

/** The webhook: the core's events become notifications, queued and delivered without ever holding the core up. */
export function createNotifyCapability(deps: {
  config: ConfigService
  /** Where the webhook URL is kept (it may hold a Slack secret); settings.json only where there is no keychain. */
  secrets: SecretStore
  events: EventBus
  log: Logger
  post?: PostWebhook
  clock?: TimerClock
  limits?: Partial<SenderLimits>
}): NotifyCapability {
  const clock = deps.clock ?? realClock
  const log = deps.log.child({ component: 'notify' })
  const moveUrl = createWebhookSecretMover({ config: deps.config, secrets: deps.secrets, log })
  const move = (): void => {
    try {
      moveUrl()
    } catch (error) {
      // The URL stays where it was (still sent to); the next settings change or start tries again.
      log.error('webhook URL could not be moved into the secrets store', { error })
    }
  }
  move()
  const stopMoving = deps.config.onChange(move)
  const sender = createWebhookSender({
    target: () => {
      const { url } = webhookUrl(deps.config, deps.secrets)
      return url === '' ? null : { url, format: deps.config.get('notify.webhookFormat') }
    },
    post: deps.post ?? postWebhook,
    log,
    clock,
    ...(deps.limits ? { limits: deps.limits } : {})
  })
  const fromEvents = createEventNotifications({ notify: (n) => sender.enqueue(n), clock })
  const unsubscribe = deps.events.subscribe((frame) => fromEvents.onEvent(frame))
  return {
    sender,
    notify: (n) => sender.enqueue(n),
    handlers: {
      'notify.test': () =>
        sender.sendNow({
          kind: 'test',
          title: 'Knowledge OS: test notification',
          message:
            'If you can read this, the webhook works: health changes, manual review, open circuits and the daily digest will arrive here.',
          severity: 'info',
          at: new Date(clock.now()).toISOString(),
          details: {}
        }),
      'notify.status': () => ({ ...sender.status(), urlFrom: webhookUrl(deps.config, deps.secrets).from })
    },
    stop() {
      stopMoving()
      unsubscribe()
      fromEvents.stop()
      sender.stop()
    }
  }
}
