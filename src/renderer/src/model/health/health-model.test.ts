import { describe, expect, it } from 'vitest'
import type { HealthSnapshot } from '../../../../shared/contract/models-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { healthLine, healthModel } from './health-model'

const snapshot = (over: Partial<HealthSnapshot>): HealthSnapshot => ({
  level: 'ok',
  reasons: [],
  components: [],
  checkedAt: '2026-12-01T20:00:00.000Z',
  ...over
})

describe('health model (status bar)', () => {
  it('reads the health, follows its changes, and says the worst part first in words', async () => {
    const fake = fakeClient({
      'health.get': () => ({
        ok: true,
        value: snapshot({ components: [{ component: 'models', level: 'ok', reasons: [] }] })
      })
    })
    const model = createViewModel(healthModel, fake.client, undefined)
    expect(healthLine(model.getState().health)).toMatchObject({ level: 'unknown', text: 'Checking health…' })
    model.connect()
    await settle()
    expect(healthLine(model.getState().health)).toMatchObject({ level: 'ok', text: 'Healthy' })

    fake.emit(
      'health.changed',
      snapshot({
        level: 'down',
        components: [
          { component: 'disk', level: 'degraded', reasons: ['2 GB free'] },
          { component: 'models', level: 'down', reasons: ['No model node is reachable.'] }
        ]
      })
    )
    const line = healthLine(model.getState().health)
    expect(line).toMatchObject({
      level: 'down',
      text: 'Not working — Model servers: No model node is reachable. (+1 more)'
    })
    expect(line.detail).toBe('Disk: 2 GB free\nModel servers: No model node is reachable.')
  })
})
