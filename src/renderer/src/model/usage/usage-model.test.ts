import { describe, expect, it } from 'vitest'
import type { UsageDimension, UsageGroup, UsageReport } from '../../../../shared/contract/usage-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { budgetFill, rangeStart, sourceMix, usageModel } from './usage-model'

const group = (key: string, task: number, chat: number, estimated = 0): UsageGroup => ({
  key,
  label: key,
  tokensIn: task + chat,
  tokensOut: 0,
  estimatedTokens: estimated,
  failedTokens: 0,
  failedRequests: 0,
  cost: 0,
  requests: 1,
  durationMs: 1000,
  bySource: { chat, board: 0, task, workflow: 0 }
})

const report = (by: UsageDimension, groups: UsageGroup[], used = 0, budget = 0): UsageReport => ({
  since: '2026-11-18',
  until: '2026-12-01',
  by,
  groups,
  total: group('', 900, 100),
  budget: { period: 'day', start: '2026-12-01', budget, used, exceeded: budget > 0 && used > budget, alertedAt: null },
  remotePricePer1k: 0
})

describe('usage model', () => {
  it('reads the days for the chart and the chosen grouping for the table, re-reads on a new grouping, range or count', async () => {
    const fake = fakeClient({
      'usage.report': ({ by }) => ({
        ok: true,
        value:
          by === 'day'
            ? report('day', [group('2026-12-01', 900, 100)])
            : report(by ?? 'day', [group('website', 900, 0)])
      })
    })
    const model = createViewModel(usageModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    expect(fake.calls.map((c) => (c.input as { by: string }).by)).toEqual(['day', 'project'])
    expect(model.getState().grouped?.groups.map((g) => g.key)).toEqual(['website'])
    expect(model.getState().daily?.by).toBe('day')

    await model.getState().groupBy('model')
    expect(fake.calls.at(-1)?.input).toMatchObject({ by: 'model' })
    await model.getState().groupBy('day')
    // Grouped by day, the chart's report is the table's: one call.
    expect(fake.calls.slice(-1).map((c) => (c.input as { by: string }).by)).toEqual(['day'])
    expect(model.getState().grouped).toBe(model.getState().daily)

    const before = fake.calls.length
    await model.getState().show('days7')
    expect((fake.calls.at(-1)?.input as { since: string }).since).toBe(rangeStart('days7', new Date()))
    fake.emit('usage.changed', { at: '2026-12-01T10:00:00.000Z' })
    await settle()
    expect(fake.calls.length).toBe(before + 2)
    fake.emit('usage.budgetExceeded', { period: 'day', start: '2026-12-01', tokens: 1200, budget: 1000 })
    await settle()
    expect(model.getState().alert).toEqual({ period: 'day', start: '2026-12-01', tokens: 1200, budget: 1000 })
    dispose()
    expect(fake.listening()).toBe(0)
  })

  it('shows a refused read as the error and keeps nothing stale', async () => {
    const fake = fakeClient({})
    const model = createViewModel(usageModel, fake.client, undefined)
    model.connect()
    await settle()
    expect(model.getState()).toMatchObject({ daily: null, error: { code: 'unavailable' } })
  })

  it('starts ranges on the right day, mixes sources largest first, and fills the budget', () => {
    const today = new Date('2026-12-15T10:00:00.000Z')
    expect(rangeStart('days7', today)).toBe('2026-12-09')
    expect(rangeStart('days14', today)).toBe('2026-12-02')
    expect(rangeStart('days30', today)).toBe('2026-11-16')
    expect(rangeStart('month', today)).toBe('2026-12-01')
    expect(sourceMix(group('x', 750, 250))).toBe('Tasks 75%, Chat 25%')
    expect(sourceMix(group('x', 0, 0))).toBe('—')
    expect(budgetFill(report('day', [], 500, 1000))).toBe(0.5)
    expect(budgetFill(report('day', [], 500, 0))).toBeNull()
  })
})
