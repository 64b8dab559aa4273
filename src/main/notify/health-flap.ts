import type { HealthLevel, HealthSnapshot } from '../../shared/contract/models-contract'
import type { TimerClock } from '../platform/timer-clock'
import type { Notification } from './notification'

/**
 * A better health level is told only once it has held this long: a node that answers, fails one
 * request and answers again must not send "down", "ok", "down", "ok" to the owner's phone.
 */
export const HEALTH_SETTLE_MS = 120_000

const RANK: Readonly<Record<HealthLevel, number>> = { ok: 0, degraded: 1, down: 2 }

/**
 * The health level the owner has been told, debounced: a worse level than the one told is told at
 * once (the start of a problem); a better one only after it held for HEALTH_SETTLE_MS (the problem
 * resolved), with how often it came back meanwhile. The first snapshot after start is the baseline.
 */
export function createHealthFlap(deps: { notify: (n: Notification) => void; clock: TimerClock }): {
  onSnapshot(snapshot: HealthSnapshot): void
  stop(): void
} {
  let told: HealthLevel | null = null
  let current: HealthSnapshot | null = null
  let settleTimer: unknown = null
  /** Times it got worse again while a better level was waiting to be told. */
  let relapses = 0
  let since = 0

  const tell = (from: HealthLevel, snapshot: HealthSnapshot, message: string): void => {
    const to = snapshot.level
    deps.notify({
      kind: 'health',
      title: `Health: ${from} → ${to}`,
      message,
      severity: to === 'down' ? 'critical' : to === 'degraded' ? 'warning' : 'info',
      at: snapshot.checkedAt,
      details: { from, to, reasons: snapshot.reasons, relapses }
    })
    told = to
  }

  const settle = (): void => {
    settleTimer = null
    if (told === null || current === null || RANK[current.level] >= RANK[told]) return
    const minutes = Math.max(1, Math.round((deps.clock.now() - since) / 60_000))
    const held = `It has held for ${Math.round(HEALTH_SETTLE_MS / 60_000)} min`
    const flapped =
      relapses > 0
        ? `; it turned ${told} again ${relapses} time${relapses === 1 ? '' : 's'} on the way (told once)`
        : ''
    const what = current.reasons.length > 0 ? current.reasons.join('\n') : 'Every part reports ok again.'
    tell(told, current, `${what}\n${held}${flapped}; the problem began about ${minutes} min ago.`)
    relapses = 0
  }

  return {
    onSnapshot(snapshot) {
      current = snapshot
      if (told === null) {
        told = snapshot.level
        return
      }
      if (RANK[snapshot.level] < RANK[told]) {
        settleTimer ??= deps.clock.setTimeout(settle, HEALTH_SETTLE_MS)
        return
      }
      if (settleTimer !== null) {
        deps.clock.clearTimeout(settleTimer)
        settleTimer = null
        relapses++
      }
      if (RANK[snapshot.level] === RANK[told]) return
      if (told === 'ok') since = deps.clock.now()
      tell(told, snapshot, snapshot.reasons.join('\n'))
    },
    stop() {
      if (settleTimer !== null) deps.clock.clearTimeout(settleTimer)
      settleTimer = null
    }
  }
}
