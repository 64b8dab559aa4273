import type { NotificationKind } from '../../shared/contract/notify-contract'
import type { TimerClock } from '../platform/timer-clock'
import type { Notification } from './notification'

/** Repeats of a critical notification of one kind within this window are told as one, with a count. */
export const REPEAT_FOLD_MS = 600_000

interface Fold {
  timer: unknown
  /** Repeats since the last message, per subject ("ollama-local (llama3.2:3b)"), in the order first seen. */
  readonly repeats: Map<string, number>
  latest: Notification | null
}

/**
 * The first notification of a kind goes out at once; the ones of the same kind after it, within
 * REPEAT_FOLD_MS, are counted and told together when the window ends (one message however often a
 * circuit opened). A window that saw no repeat ends the fold: the next one goes out at once again.
 */
export function createRepeatFold(deps: { notify: (n: Notification) => void; clock: TimerClock }): {
  /** `subject` names what repeated, for the count. */
  tell(subject: string, notification: Notification): void
  stop(): void
} {
  const folds = new Map<NotificationKind, Fold>()

  const open = (kind: NotificationKind): Fold => {
    const fold: Fold = { timer: null, repeats: new Map(), latest: null }
    fold.timer = deps.clock.setTimeout(() => flush(kind, true), REPEAT_FOLD_MS)
    folds.set(kind, fold)
    return fold
  }

  function flush(kind: NotificationKind, reopen: boolean): void {
    const fold = folds.get(kind)
    if (!fold) return
    folds.delete(kind)
    const latest = fold.latest
    if (latest === null) return
    const total = [...fold.repeats.values()].reduce((a, b) => a + b, 0)
    const minutes = Math.round(REPEAT_FOLD_MS / 60_000)
    const list = [...fold.repeats].map(([subject, n]) => `• ${subject} ×${n}`)
    deps.notify({
      ...latest,
      title: `${latest.title} — ${total} more time${total === 1 ? '' : 's'} in ${minutes} min`,
      message: `Told once, repeated since:\n${list.join('\n')}\nThe latest: ${latest.message}`,
      details: { ...latest.details, repeats: Object.fromEntries(fold.repeats), folded: total }
    })
    // Still repeating: the next ones are folded into the following window's message too.
    if (reopen) open(kind)
  }

  return {
    tell(subject, notification) {
      const fold = folds.get(notification.kind)
      if (!fold) {
        deps.notify(notification)
        open(notification.kind)
        return
      }
      fold.repeats.set(subject, (fold.repeats.get(subject) ?? 0) + 1)
      fold.latest = notification
    },
    stop() {
      for (const [kind, fold] of [...folds]) {
        deps.clock.clearTimeout(fold.timer)
        flush(kind, false)
      }
    }
  }
}
