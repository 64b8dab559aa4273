import { describe, expect, it } from 'vitest'
import { createCallGate, type GateSettings } from './call-gate'

const settings: GateSettings = {
  fullPerSecond: 10,
  readOnlyPerSecond: 2,
  workPerMinute: 12,
  maxEventLoopLagMs: 500,
  maxPendingCalls: 3
}

function setup(over: Partial<GateSettings> = {}) {
  const clock = { now: 0, lag: 0 }
  const gate = createCallGate({ ...settings, ...over }, { lagMs: () => clock.lag }, () => clock.now)
  return { gate, clock }
}

const admitted = (
  gate: ReturnType<typeof setup>['gate'],
  principal: 'full' | 'readOnly',
  name: string,
  n: number
): number => {
  let ok = 0
  for (let i = 0; i < n; i++) {
    const admission = gate.admit(principal, name)
    if (admission.ok) {
      ok++
      admission.release()
    }
  }
  return ok
}

describe('call gate', () => {
  it('lets a burst of four seconds’ worth through per token, then answers rate_limited with when to retry', () => {
    const { gate, clock } = setup()
    expect(admitted(gate, 'readOnly', 'tasks.list', 20)).toBe(8)
    const refused = gate.admit('readOnly', 'tasks.list')
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 500 } })
    if (!refused.ok) expect(refused.error.message).toMatch(/read-only token: try again in 1 s/)
    clock.now += 500
    expect(admitted(gate, 'readOnly', 'tasks.list', 5)).toBe(1)
  })

  it('keeps a bucket per token: the full token is not slowed by a busy read-only one, and gets more', () => {
    const { gate } = setup()
    expect(admitted(gate, 'readOnly', 'tasks.list', 100)).toBe(8)
    expect(admitted(gate, 'full', 'tasks.list', 100)).toBe(40)
  })

  it('limits calls that start work much more strictly, the read-only token most', () => {
    const { gate, clock } = setup({ fullPerSecond: 1000, readOnlyPerSecond: 1000 })
    expect(admitted(gate, 'readOnly', 'checklist.run', 10)).toBe(1)
    expect(admitted(gate, 'full', 'checklist.run', 10)).toBe(3)
    expect(admitted(gate, 'full', 'models.scan', 10)).toBe(0)
    const refused = gate.admit('readOnly', 'models.scan')
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 20_000 } })
    // Reads go on meanwhile.
    expect(admitted(gate, 'readOnly', 'checklist.latest', 10)).toBe(10)
    clock.now += 20_000
    expect(admitted(gate, 'readOnly', 'models.scan', 10)).toBe(1)
    expect(admitted(gate, 'full', 'models.scan', 10)).toBe(3)
  })

  it('sheds calls with unavailable and a retry time while the event loop lags, and takes them again after', () => {
    const { gate, clock } = setup()
    clock.lag = 800
    const shed = gate.admit('full', 'tasks.list')
    expect(shed).toMatchObject({ ok: false, error: { code: 'unavailable', retryAfterMs: 1000 } })
    if (!shed.ok) expect(shed.error.message).toMatch(/overloaded \(it is running 800 ms behind\)/)
    clock.lag = 10
    expect(gate.admit('full', 'tasks.list').ok).toBe(true)
  })

  it('sheds calls beyond the pending limit until one finishes', () => {
    const { gate } = setup({ fullPerSecond: 1000 })
    const running = [gate.admit('full', 'a.b'), gate.admit('full', 'a.b'), gate.admit('full', 'a.b')]
    expect(gate.pending()).toBe(3)
    expect(gate.admit('full', 'a.b')).toMatchObject({ ok: false, error: { code: 'unavailable' } })
    const first = running[0]!
    if (first.ok) {
      first.release()
      first.release()
    }
    expect(gate.pending()).toBe(2)
    expect(gate.admit('full', 'a.b').ok).toBe(true)
  })

  it('never sheds for lag when that limit is 0', () => {
    const { gate, clock } = setup({ maxEventLoopLagMs: 0 })
    clock.lag = 60_000
    expect(gate.admit('full', 'tasks.list').ok).toBe(true)
  })
})
