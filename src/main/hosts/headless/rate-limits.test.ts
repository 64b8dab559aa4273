import { describe, expect, it } from 'vitest'
import { DEFAULT_GATE_SETTINGS } from './call-gate'
import { bearer, http, nextMessage, openSocket, useHeadlessHosts, wsUrl } from './testing/host-harness'

const start = useHeadlessHosts()

describe('rate limits and load shedding on the headless host', () => {
  it('answers 429 with Retry-After over HTTP and rate_limited with retryAfterMs over WebSocket, per token', async () => {
    const { host } = await start({ gate: { ...DEFAULT_GATE_SETTINGS, readOnlyPerSecond: 1, fullPerSecond: 100 } })
    const headers = bearer(host.access.readOnlyToken)
    const statuses: number[] = []
    let limited: Awaited<ReturnType<typeof http>> | null = null
    for (let i = 0; i < 6; i++) {
      const reply = await http(`${host.origin}/api/call/tasks.counters`, { method: 'POST', headers })
      statuses.push(reply.status)
      if (reply.status === 429) limited ??= reply
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200])
    expect(limited?.headers['retry-after']).toBe('1')
    expect(JSON.parse(limited?.body ?? '{}')).toMatchObject({ ok: false, error: { code: 'rate_limited' } })

    const ws = await openSocket(wsUrl(host), headers)
    ws.send(JSON.stringify({ type: 'call', id: 1, name: 'tasks.counters', input: {} }))
    const frame = await nextMessage(ws)
    expect(frame).toMatchObject({ id: 1, result: { ok: false, error: { code: 'rate_limited' } } })
    expect((frame.result as { error: { retryAfterMs: number } }).error.retryAfterMs).toBeGreaterThan(0)
    ws.close()

    // The full token has its own bucket.
    expect(
      (await http(`${host.origin}/api/call/tasks.counters`, { method: 'POST', headers: bearer(host.access.fullToken) }))
        .status
    ).toBe(200)
  })

  it('lets the read-only token start work (run the checklist) once, then asks it to wait', async () => {
    const { host } = await start()
    const headers = bearer(host.access.readOnlyToken)
    const first = await http(`${host.origin}/api/call/checklist.run`, { method: 'POST', headers })
    expect(first.status).toBe(200)
    const second = await http(`${host.origin}/api/call/checklist.run`, { method: 'POST', headers })
    expect(second.status).toBe(429)
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(10)
    expect(JSON.parse(second.body).error.message).toMatch(
      /calls that start work \(checklist\.run\) from the read-only token/
    )
    // Reading the result is not limited by it.
    expect((await http(`${host.origin}/api/call/checklist.latest`, { method: 'POST', headers })).status).toBe(200)
  })

  it('answers 503 with Retry-After while the event loop lags, and serves again once it catches up', async () => {
    const { host } = await start({ gate: { ...DEFAULT_GATE_SETTINGS, maxEventLoopLagMs: 100 } })
    const call = () =>
      http(`${host.origin}/api/call/app.info`, { method: 'POST', headers: bearer(host.access.fullToken) })
    // Block the loop (the host runs in this process) until the monitor has seen it lag.
    let shed: Awaited<ReturnType<typeof call>> | null = null
    for (let attempt = 0; attempt < 20 && !shed; attempt++) {
      const until = Date.now() + 300
      while (Date.now() < until) {
        // busy: the lag the host must notice
      }
      const reply = await call()
      if (reply.status === 503) shed = reply
    }
    expect(shed?.headers['retry-after']).toBe('1')
    expect(JSON.parse(shed?.body ?? '{}')).toMatchObject({
      ok: false,
      error: { code: 'unavailable', retryAfterMs: 1000 }
    })
    let served = false
    for (let attempt = 0; attempt < 50 && !served; attempt++) {
      served = (await call()).status === 200
      if (!served) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(served).toBe(true)
  })
})
