import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { HealthReport } from '../../shared/contract/models-contract'
import { aggregate, createHealthMonitor } from './health-monitor'

describe('health monitor', () => {
  it('takes the worst level and prefixes each reason with its component', async () => {
    const monitor = createHealthMonitor()
    let nodes: HealthReport = { component: 'nodes', level: 'ok', reasons: [] }
    monitor.add({ component: 'nodes', report: () => nodes })
    monitor.add({ component: 'database', report: () => ({ component: 'database', level: 'ok', reasons: [] }) })
    const seen: string[] = []
    monitor.onChange((s) => seen.push(s.level))
    expect((await monitor.check()).level).toBe('ok')
    nodes = { component: 'nodes', level: 'down', reasons: ['no model node is reachable'] }
    const down = await monitor.check()
    expect(down.level).toBe('down')
    expect(down.reasons).toEqual(['nodes: no model node is reachable'])
    await monitor.check()
    nodes = { component: 'nodes', level: 'ok', reasons: [] }
    await monitor.check()
    expect(seen).toEqual(['ok', 'down', 'ok'])
  })

  it('checks again when asked while a check runs, so a change during it is not missed', async () => {
    const monitor = createHealthMonitor()
    let level: 'ok' | 'down' = 'ok'
    let release: () => void = () => undefined
    monitor.add({
      component: 'nodes',
      report: () => {
        const seen = level
        return new Promise(
          (resolve) =>
            (release = () => resolve({ component: 'nodes', level: seen, reasons: seen === 'ok' ? [] : ['gone'] }))
        )
      }
    })
    const first = monitor.check()
    level = 'down'
    const second = monitor.check()
    release()
    expect((await first).level).toBe('ok')
    await new Promise((r) => setTimeout(r, 0))
    release()
    expect((await second).level).toBe('down')
    expect(monitor.current().level).toBe('down')
  })

  it('counts a source whose check throws as down, with the error', async () => {
    const monitor = createHealthMonitor()
    monitor.add({ component: 'worker', report: () => Promise.reject(new Error('database is locked')) })
    const s = await monitor.check()
    expect(s.level).toBe('down')
    expect(s.reasons[0]).toContain('database is locked')
  })

  it('is never better than its worst component', () => {
    const level = fc.constantFrom<'ok' | 'degraded' | 'down'>('ok', 'degraded', 'down')
    fc.assert(
      fc.property(fc.array(fc.record({ component: fc.string(), level, reasons: fc.array(fc.string()) })), (reports) => {
        const s = aggregate(reports, new Date(0).toISOString())
        const rank = { ok: 0, degraded: 1, down: 2 }
        for (const r of reports) expect(rank[s.level]).toBeGreaterThanOrEqual(rank[r.level])
      })
    )
  })
})
