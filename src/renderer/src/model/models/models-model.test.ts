import { describe, expect, it } from 'vitest'
import type { HealthSnapshot, ModelsOverview } from '../../../../shared/contract/models-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { modelsModel } from './models-model'

const overview = (label: string): ModelsOverview => ({ nodes: [{ label }] }) as unknown as ModelsOverview
const health = (level: HealthSnapshot['level']): HealthSnapshot => ({ level }) as HealthSnapshot

describe('models model', () => {
  it('reads nodes, processes and health when connected, applies their pushed changes, and follows one "try it" answer', async () => {
    const fake = fakeClient({
      'models.list': () => ({ ok: true, value: overview('first') }),
      'supervisor.list': () => ({ ok: true, value: [] }),
      'health.get': () => ({ ok: true, value: health('ok') }),
      'models.chat': () => ({ ok: true, value: { requestId: 'r1' } })
    })
    const model = createViewModel(modelsModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    expect(model.getState()).toMatchObject({ loaded: true, health: { level: 'ok' } })
    fake.emit('models.changed', overview('pushed'))
    fake.emit('health.changed', health('down'))
    expect(model.getState().overview?.nodes[0]?.label).toBe('pushed')
    expect(model.getState().health?.level).toBe('down')

    await model.getState().ask('Say hello', null)
    fake.emit('models.chatToken', { requestId: 'other', token: 'no' })
    fake.emit('models.chatToken', { requestId: 'r1', token: 'Hello' })
    fake.emit('models.chatDone', { requestId: 'r1', ok: true, node: 'n', model: 'm', error: null })
    expect(model.getState().tryIt).toMatchObject({ text: 'Hello', running: false, answeredBy: 'm on n' })
    dispose()
    expect(fake.listening()).toBe(0)
  })
})
