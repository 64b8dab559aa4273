import type { DeliveryOutcome, NotifyStatus, WebhookFormat } from '../../shared/contract/notify-contract'
import type { Logger } from '../log/logger'
import { realClock, type TimerClock } from '../platform/timer-clock'
import type { Notification } from './notification'
import { webhookRequest } from './webhook-body'
import type { PostAnswer, PostWebhook } from './webhook-post'

export interface WebhookTarget {
  readonly url: string
  readonly format: WebhookFormat
}

export interface SenderLimits {
  /** Notifications kept while the endpoint is unreachable; beyond it the oldest waiting one is dropped. */
  readonly capacity: number
  /** Attempts per notification before it is given up. */
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly timeoutMs: number
}

/** 2 s, 4 s, 8 s … capped at 5 min; six attempts span about a minute, long enough for a router reboot. */
export const DEFAULT_LIMITS: SenderLimits = {
  capacity: 200,
  maxAttempts: 6,
  baseDelayMs: 2000,
  maxDelayMs: 300_000,
  timeoutMs: 10_000
}

export interface WebhookSender {
  /** Queues a notification and returns at once: the core never waits on the endpoint. */
  enqueue(notification: Notification): void
  /** One attempt now, outside the queue, with its outcome (the Settings view's "Send test"). */
  sendNow(notification: Notification): Promise<DeliveryOutcome>
  /** The queue's figures; where the URL is kept is the capability's to add. */
  status(): Omit<NotifyStatus, 'urlFrom'>
  stop(): void
}

interface Pending {
  readonly notification: Notification
  attempts: number
}

/**
 * Delivers notifications one at a time, in order, retrying an endpoint that is down or
 * answers 408/429/5xx with exponential backoff (or its Retry-After, whichever is longer).
 * A 4xx other than those is the URL's or the format's fault: retrying cannot help, so the
 * notification is given up at once and the error kept for the Settings view.
 */
export function createWebhookSender(deps: {
  target: () => WebhookTarget | null
  post: PostWebhook
  log: Logger
  clock?: TimerClock
  limits?: Partial<SenderLimits>
}): WebhookSender {
  const clock = deps.clock ?? realClock
  const limits: SenderLimits = { ...DEFAULT_LIMITS, ...deps.limits }
  const queue: Pending[] = []
  let inFlight: Pending | null = null
  let timer: unknown = null
  let stopped = false
  let dropped = 0
  let delivered = 0
  let failed = 0
  let lastDeliveredAt: number | null = null
  let lastError: string | null = null

  const attempt = async (
    target: WebhookTarget,
    notification: Notification
  ): Promise<{ answer: PostAnswer | null; error: string | null }> => {
    try {
      const answer = await deps.post(target.url, webhookRequest(target.format, notification), limits.timeoutMs)
      return {
        answer,
        error: answer.status >= 200 && answer.status < 300 ? null : `the endpoint answered HTTP ${answer.status}`
      }
    } catch (error) {
      return { answer: null, error: describe(error, limits.timeoutMs) }
    }
  }

  const giveUp = (item: Pending, error: string): void => {
    remove(item)
    failed += 1
    lastError = error
    deps.log.warn('webhook notification given up', { kind: item.notification.kind, attempts: item.attempts, error })
  }

  const remove = (item: Pending): void => {
    const at = queue.indexOf(item)
    if (at >= 0) queue.splice(at, 1)
  }

  const pump = (): void => {
    if (stopped || inFlight || timer !== null) return
    const item = queue[0]
    if (!item) return
    const target = deps.target()
    if (!target) {
      // The URL was cleared while notifications waited: nobody is left to tell.
      dropped += queue.length
      queue.length = 0
      return
    }
    inFlight = item
    item.attempts += 1
    void attempt(target, item.notification).then(({ answer, error }) => {
      inFlight = null
      if (!queue.includes(item)) return pump()
      if (error === null) {
        remove(item)
        delivered += 1
        lastDeliveredAt = clock.now()
        lastError = null
        return pump()
      }
      if (answer && !retryable(answer.status)) {
        giveUp(item, `${error}; not retried: check the URL and the format (notify.webhookFormat)`)
        return pump()
      }
      if (item.attempts >= limits.maxAttempts) {
        giveUp(item, `${error} (${item.attempts} attempts)`)
        return pump()
      }
      lastError = error
      const backoff = Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** (item.attempts - 1))
      const delay = Math.min(limits.maxDelayMs, Math.max(backoff, answer?.retryAfterMs ?? 0))
      timer = clock.setTimeout(() => {
        timer = null
        pump()
      }, delay)
    })
  }

  return {
    enqueue(notification) {
      if (stopped || !deps.target()) return
      queue.push({ notification, attempts: 0 })
      while (queue.length > limits.capacity) {
        const oldest = queue.findIndex((item) => item !== inFlight)
        const [gone] = queue.splice(oldest, 1)
        dropped += 1
        // The dropped one may be the head waiting out its backoff: the next starts now.
        if (gone && oldest === 0 && timer !== null) {
          clock.clearTimeout(timer)
          timer = null
        }
      }
      pump()
    },
    async sendNow(notification) {
      const target = deps.target()
      if (!target)
        return {
          delivered: false,
          status: null,
          attempts: 0,
          error: 'No webhook URL is set: enter one in Settings → Notifications (notify.webhookUrl) first.'
        }
      const { answer, error } = await attempt(target, notification)
      if (error === null) {
        delivered += 1
        lastDeliveredAt = clock.now()
      }
      return { delivered: error === null, status: answer?.status ?? null, attempts: 1, error }
    },
    status() {
      const target = deps.target()
      return {
        configured: target !== null,
        format: target?.format ?? 'json',
        queued: queue.length,
        dropped,
        delivered,
        failed,
        lastDeliveredAt: lastDeliveredAt === null ? null : new Date(lastDeliveredAt).toISOString(),
        lastError
      }
    },
    stop() {
      stopped = true
      if (timer !== null) clock.clearTimeout(timer)
      timer = null
    }
  }
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs / 1000} s`
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null
  return `the endpoint could not be reached: ${cause ?? (error instanceof Error ? error.message : String(error))}`
}
