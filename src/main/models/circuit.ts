/**
 * A circuit breaker for one node + model, as a pure state machine: every
 * transition is a function of the state, an event and the time the caller's
 * clock gives, so it can be tested over random sequences without timers.
 *
 *   closed ──(failure ratio over the window above the threshold)──▶ open
 *   open ──(the probe is due)──▶ half_open ──(probe succeeds)──▶ closed
 *                                          └─(probe fails)──▶ open, next probe after twice the wait
 *
 * Only a closed circuit is planned on. While open, outcomes of requests that
 * were already under way are ignored: the probe decides (while it runs, a
 * late success closes the circuit too).
 */

export interface CircuitSettings {
  /** Opens when failures / requests in the window exceed this (0…1). */
  readonly failureRatio: number
  /** …and the window holds at least this many requests. */
  readonly minRequests: number
  readonly windowMs: number
  /** Wait before the first probe; each failed probe doubles it, up to probeMaxMs. */
  readonly probeMinMs: number
  readonly probeMaxMs: number
}

/** One generation's outcome; `failure` names what went wrong ("500 “llama runner process has terminated”"). */
export interface CircuitOutcome<K extends string = string> {
  readonly at: number
  readonly ok: boolean
  readonly kind?: K
  readonly failure?: string
}

export interface OpenReason<K extends string = string> {
  /** Failures and requests in the window when it opened, and when the window's first request was. */
  readonly failures: number
  readonly requests: number
  readonly since: number
  /** The most frequent failure in the window, and its kind. */
  readonly failure: string
  readonly kind: K | null
  /** Whether other failures were among them too. */
  readonly mixed: boolean
}

export type CircuitState<K extends string = string> =
  | { readonly state: 'closed'; readonly window: readonly CircuitOutcome<K>[] }
  | {
      readonly state: 'open'
      readonly openedAt: number
      readonly reason: OpenReason<K>
      readonly probeAt: number
      readonly backoffMs: number
      readonly lastProbe: CircuitOutcome<K> | null
    }
  | {
      readonly state: 'half_open'
      readonly openedAt: number
      readonly reason: OpenReason<K>
      readonly probeStartedAt: number
      readonly backoffMs: number
      readonly lastProbe: CircuitOutcome<K> | null
    }

export const CLOSED: CircuitState<never> = { state: 'closed', window: [] }

export function closedCircuit<K extends string>(): CircuitState<K> {
  return CLOSED
}

/** Whether requests may be planned on it. */
export function allowsRequests(c: CircuitState): boolean {
  return c.state === 'closed'
}

// The newest outcomes are enough to judge a share by, and a busy node would otherwise copy thousands at every request.
const MAX_WINDOW = 256

/** The window as of `at`: outcomes older than the window fall out, and beyond the newest MAX_WINDOW. */
export function windowAt<K extends string>(
  window: readonly CircuitOutcome<K>[],
  at: number,
  settings: CircuitSettings
): CircuitOutcome<K>[] {
  const from = window.length > MAX_WINDOW ? window.length - MAX_WINDOW : 0
  const recent: CircuitOutcome<K>[] = []
  for (let i = from; i < window.length; i++) {
    const o = window[i] as CircuitOutcome<K>
    if (o.at > at - settings.windowMs) recent.push(o)
  }
  return recent
}

export function shouldOpen(window: readonly CircuitOutcome[], settings: CircuitSettings): boolean {
  if (window.length < settings.minRequests || window.length === 0) return false
  const failures = window.filter((o) => !o.ok).length
  return failures / window.length > settings.failureRatio
}

/** A request's outcome. */
export function record<K extends string>(
  c: CircuitState<K>,
  outcome: CircuitOutcome<K>,
  settings: CircuitSettings
): CircuitState<K> {
  if (c.state === 'open') return c
  // A request that began before the circuit opened and succeeds now is evidence the backend works; its failure is not news.
  if (c.state === 'half_open') return outcome.ok ? { state: 'closed', window: [] } : c
  // windowAt's array is a fresh copy: one copy per request, not two.
  const window = windowAt(c.window, outcome.at, settings)
  window.push(outcome)
  if (outcome.ok || !shouldOpen(window, settings)) return { state: 'closed', window }
  return {
    state: 'open',
    openedAt: outcome.at,
    reason: reasonOf(window),
    probeAt: outcome.at + settings.probeMinMs,
    backoffMs: settings.probeMinMs,
    lastProbe: null
  }
}

/** Whether its probe should start now. */
export function probeDue(c: CircuitState, now: number): boolean {
  return c.state === 'open' && now >= c.probeAt
}

/** Open → half open: the probe starts. Anything else is returned as it is. */
export function startProbe<K extends string>(c: CircuitState<K>, now: number): CircuitState<K> {
  if (!probeDue(c, now) || c.state !== 'open') return c
  return {
    state: 'half_open',
    openedAt: c.openedAt,
    reason: c.reason,
    probeStartedAt: now,
    backoffMs: c.backoffMs,
    lastProbe: c.lastProbe
  }
}

/** Open → its probe due now: the server was just seen coming back (restarted), which is worth a probe at once. */
export function expedite<K extends string>(c: CircuitState<K>, now: number): CircuitState<K> {
  return c.state === 'open' && c.probeAt > now ? { ...c, probeAt: now } : c
}

/** The probe's outcome: a success closes the circuit with a fresh window; a failure opens it again, waiting twice as long. */
export function probed<K extends string>(
  c: CircuitState<K>,
  outcome: CircuitOutcome<K>,
  settings: CircuitSettings
): CircuitState<K> {
  if (c.state !== 'half_open') return c
  if (outcome.ok) return { state: 'closed', window: [] }
  const backoffMs = Math.min(settings.probeMaxMs, Math.max(settings.probeMinMs, c.backoffMs * 2))
  return {
    state: 'open',
    openedAt: c.openedAt,
    reason: c.reason,
    probeAt: outcome.at + backoffMs,
    backoffMs,
    lastProbe: outcome
  }
}

function reasonOf<K extends string>(window: readonly CircuitOutcome<K>[]): OpenReason<K> {
  const failed = window.filter((o) => !o.ok)
  const counts = new Map<string, { n: number; kind: K | null }>()
  for (const o of failed) {
    const label = o.failure ?? 'failure'
    const entry = counts.get(label) ?? { n: 0, kind: o.kind ?? null }
    counts.set(label, { n: entry.n + 1, kind: entry.kind })
  }
  let top: [string, { n: number; kind: K | null }] = ['failure', { n: 0, kind: null }]
  for (const entry of counts) if (entry[1].n > top[1].n) top = entry
  return {
    failures: failed.length,
    requests: window.length,
    since: window[0]?.at ?? 0,
    failure: top[0],
    kind: top[1].kind,
    mixed: counts.size > 1
  }
}
