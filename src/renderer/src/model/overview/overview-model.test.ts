import { describe, expect, it } from 'vitest'
import type { OverviewSample } from '../../../../shared/contract/overview-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { chartState, healthShares, overviewModel, SAMPLES_KEPT } from './overview-model'

const sample = (i: number): OverviewSample =>
  ({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }) as OverviewSample

describe('overview model', () => {
  it('reads the series when connected, appends each pushed sample up to two hours, and stops when disposed', async () => {
    const fake = fakeClient({
      'overview.series': () => ({
        ok: true,
        value: { intervalSec: 15, samples: Array.from({ length: SAMPLES_KEPT }, (_, i) => sample(i)) }
      })
    })
    const model = createViewModel(overviewModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    expect(model.getState().samples).toHaveLength(SAMPLES_KEPT)
    fake.emit('overview.sample', sample(9999))
    expect(model.getState().samples).toHaveLength(SAMPLES_KEPT)
    expect(model.getState().samples.at(-1)?.at).toBe(sample(9999).at)
    expect(model.getState().samples[0]?.at).toBe(sample(1).at)
    dispose()
    fake.emit('overview.sample', sample(10_000))
    expect(model.getState().samples.at(-1)?.at).toBe(sample(9999).at)
  })
})

describe('overview charts', () => {
  it('say they are collecting before two samples, and that nothing happened rather than draw a flat line', () => {
    expect(chartState(0, [])).toBe('collecting')
    expect(chartState(1, [[3]])).toBe('collecting')
    expect(chartState(5, [[0, 0, null, 0, 0]])).toBe('empty')
    expect(chartState(5, [])).toBe('empty')
    expect(
      chartState(3, [
        [0, 0, 0],
        [null, 1, 0]
      ])
    ).toBe('data')
  })

  it('give each health level’s share for the legend, unknown for samples without one', () => {
    const h = (health: OverviewSample['health']) => ({ health })
    expect(healthShares([h('ok'), h('ok'), h('down'), h(null)])).toEqual([
      { level: 'ok', share: 0.5 },
      { level: 'down', share: 0.25 },
      { level: 'unknown', share: 0.25 }
    ])
    expect(healthShares([])).toEqual([])
  })
})
