import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  allowsRequests,
  closedCircuit,
  expedite,
  probeDue,
  probed,
  record,
  startProbe,
  windowAt,
  type CircuitSettings,
  type CircuitState
} from './circuit'

type Step =
  | { readonly kind: 'request'; readonly ok: boolean; readonly dt: number }
  | { readonly kind: 'late'; readonly ok: boolean; readonly dt: number }
  | { readonly kind: 'probe'; readonly ok: boolean; readonly dt: number }
  | { readonly kind: 'tick'; readonly dt: number }
  | { readonly kind: 'restart'; readonly dt: number }

const dt = fc.integer({ min: 0, max: 20_000 })
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('request' as const), ok: fc.boolean(), dt }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('late' as const), ok: fc.boolean(), dt }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('probe' as const), ok: fc.boolean(), dt }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), dt }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('restart' as const), dt }), weight: 1 }
)
const settingsArb: fc.Arbitrary<CircuitSettings> = fc
  .record({
    // Exact fractions too, so windows land right on the threshold.
    failureRatio: fc.oneof(
      fc.constantFrom(0, 0.2, 0.25, 0.3, 0.5, 0.75),
      fc.double({ min: 0, max: 0.95, noNaN: true })
    ),
    minRequests: fc.integer({ min: 1, max: 10 }),
    windowMs: fc.integer({ min: 1_000, max: 120_000 }),
    probeMinMs: fc.integer({ min: 100, max: 5_000 }),
    probeSpread: fc.integer({ min: 0, max: 60_000 })
  })
  .map(({ probeSpread, ...s }) => ({ ...s, probeMaxMs: s.probeMinMs + probeSpread }))

/**
 * Drives a circuit the way the router does: requests are made only while it
 * allows them, a due probe starts before anything else happens at that time,
 * and outcomes of requests begun earlier may arrive in any state.
 */
describe('circuit breaker over random failure and success sequences', () => {
  it('never allows requests unless closed, opens only above the threshold, opens when every request in the window fails, and a probe decides half-open', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(step, { minLength: 1, maxLength: 200 }), (settings, steps) => {
        let c: CircuitState = closedCircuit()
        let now = 0
        for (const s of steps) {
          now += s.dt
          const before = c
          if (probeDue(c, now)) {
            c = startProbe(c, now)
            expect(c.state).toBe('half_open')
          } else {
            expect(startProbe(c, now)).toBe(c)
          }
          const atStep = c
          if (s.kind === 'request' && allowsRequests(c)) c = record(c, { at: now, ok: s.ok, failure: '500' }, settings)
          else if (s.kind === 'late') c = record(c, { at: now, ok: s.ok, failure: '500' }, settings)
          else if (s.kind === 'probe' && c.state === 'half_open') c = probed(c, { at: now, ok: s.ok }, settings)
          else if (s.kind === 'restart') {
            c = expedite(c, now)
            // A server seen coming back gets its probe now; nothing else changes.
            if (atStep.state === 'open') expect(c).toEqual({ ...atStep, probeAt: Math.min(atStep.probeAt, now) })
            else expect(c).toBe(atStep)
          }

          expect(allowsRequests(c)).toBe(c.state === 'closed')
          // A closed circuit whose latest request failed is at or below the threshold (a success never opens one).
          if (c.state === 'closed' && c.window.at(-1)?.ok === false) {
            const failed = c.window.filter((o) => !o.ok).length
            expect(c.window.length < settings.minRequests || failed / c.window.length <= settings.failureRatio).toBe(
              true
            )
          }
          if (atStep.state === 'closed' && (s.kind === 'request' || s.kind === 'late')) {
            const window = [...windowAt(atStep.window, now, settings), { at: now, ok: s.ok }]
            // Failures at or below the threshold never open it; above it (with enough requests), a failure opens it at once.
            const failed = window.filter((o) => !o.ok).length
            const above = window.length >= settings.minRequests && failed / window.length > settings.failureRatio
            expect(c.state).toBe(above && !s.ok ? 'open' : 'closed')
            if (window.length >= settings.minRequests && window.every((o) => !o.ok)) expect(c.state).toBe('open')
          }
          if (atStep.state === 'open' && s.kind !== 'restart') expect(c).toBe(atStep)
          if (atStep.state === 'half_open' && s.kind === 'probe') {
            if (s.ok) expect(c).toEqual({ state: 'closed', window: [] })
            else {
              expect(c.state).toBe('open')
              if (c.state === 'open') {
                expect(c.backoffMs).toBeGreaterThanOrEqual(Math.min(atStep.backoffMs, settings.probeMaxMs))
                expect(c.backoffMs).toBeLessThanOrEqual(settings.probeMaxMs)
                expect(c.probeAt).toBe(now + c.backoffMs)
              }
            }
          }
          if (c.state === 'open') {
            expect(c.probeAt).toBeGreaterThan(now - (before.state === 'open' ? Infinity : 0))
            expect(c.backoffMs).toBeGreaterThanOrEqual(settings.probeMinMs)
            expect(c.backoffMs).toBeLessThanOrEqual(settings.probeMaxMs)
            expect(c.reason.failures / c.reason.requests).toBeGreaterThan(settings.failureRatio)
          }
        }
      }),
      { numRuns: 400 }
    )
  })

  it('opens within the window when every request fails, and closes on the first successful probe', () => {
    const settings: CircuitSettings = {
      failureRatio: 0.3,
      minRequests: 8,
      windowMs: 60_000,
      probeMinMs: 1_000,
      probeMaxMs: 4_000
    }
    let c: CircuitState = closedCircuit()
    for (let i = 0; i < 7; i++) c = record(c, { at: i * 1000, ok: false, failure: '500' }, settings)
    expect(c.state).toBe('closed')
    c = record(c, { at: 7000, ok: false, failure: '500' }, settings)
    expect(c).toMatchObject({
      state: 'open',
      probeAt: 8000,
      reason: { failures: 8, requests: 8, since: 0, failure: '500' }
    })
    expect(probeDue(c, 7999)).toBe(false)
    c = probed(startProbe(c, 8000), { at: 8100, ok: false }, settings)
    expect(c).toMatchObject({ state: 'open', backoffMs: 2000, probeAt: 10_100 })
    c = probed(startProbe(c, 10_100), { at: 10_200, ok: false }, settings)
    c = probed(startProbe(c, 14_200), { at: 14_300, ok: false }, settings)
    expect(c).toMatchObject({ state: 'open', backoffMs: 4000 })
    c = probed(startProbe(c, 18_300), { at: 18_400, ok: true }, settings)
    expect(c).toEqual({ state: 'closed', window: [] })
  })
})
