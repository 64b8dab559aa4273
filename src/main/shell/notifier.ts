import type { ShellStatus } from './shell-status'

export interface ShellNotification {
  readonly title: string
  readonly body: string
  /** The view a click opens. */
  readonly view: string
}

export interface Notifier {
  /** Compares with the previous status and notifies about what got worse or better. */
  observe(status: ShellStatus): void
}

type Kind = 'health' | 'review'

/**
 * Notifications for the two things a person must hear about: tasks landing in
 * manual review, and health changing. Each kind is shown at most once per
 * interval; what arrives in between is folded into the next one rather than
 * dropped, so a burst of failures is one notification, not fifty.
 */
export function createNotifier(options: {
  show: (n: ShellNotification) => void
  now: () => number
  minIntervalMs: number
}): Notifier {
  let previous: ShellStatus | null = null
  const lastShown: Record<Kind, number> = { health: Number.NEGATIVE_INFINITY, review: Number.NEGATIVE_INFINITY }
  let pendingReview = 0
  let reviewBase = 0

  const allowed = (kind: Kind): boolean => options.now() - lastShown[kind] >= options.minIntervalMs

  return {
    observe(status) {
      // Nothing is known before the first health check; the first real reading is the baseline, so a launch
      // with no model server running says nothing, and only what changes after it is news.
      if (status.level === 'unknown') return
      const before = previous
      previous = status
      if (!before) {
        reviewBase = status.deferredCount
        return
      }
      if (status.level !== before.level && allowed('health')) {
        lastShown.health = options.now()
        const title = status.level === 'ok' ? 'Knowledge OS is healthy again' : `Knowledge OS is ${status.level}`
        options.show({ title, body: status.reasons.join('\n') || 'All checks pass.', view: 'checklist' })
      }
      if (status.deferredCount < reviewBase) reviewBase = status.deferredCount
      pendingReview = status.deferredCount - reviewBase
      if (pendingReview > 0 && allowed('review')) {
        lastShown.review = options.now()
        options.show({
          title: `${pendingReview} task${pendingReview === 1 ? '' : 's'} need${pendingReview === 1 ? 's' : ''} manual review`,
          body: `Automatic attempts ran out. ${status.deferredCount} in the review queue now.`,
          view: 'tasks'
        })
        reviewBase = status.deferredCount
      }
    }
  }
}
