import { describe, expect, it } from 'vitest'
import type { NotifyStatus } from '../../../../shared/contract/notify-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { describeOutcome, webhookModel } from './webhook-model'

const idle: NotifyStatus = {
  configured: true,
  format: 'ntfy',
  queued: 0,
  dropped: 0,
  delivered: 0,
  failed: 0,
  lastDeliveredAt: null,
  lastError: null,
  urlFrom: 'keychain'
}

describe('webhook model', () => {
  it('reads the queue on connect, sends a test, shows what the endpoint answered and re-reads', async () => {
    let delivered = 0
    const fake = fakeClient({
      'notify.status': () => ({ ok: true, value: { ...idle, delivered } }),
      'notify.test': () => {
        delivered += 1
        return { ok: true, value: { delivered: true, status: 200, attempts: 1, error: null } }
      }
    })
    const model = createViewModel(webhookModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    expect(model.getState().status?.delivered).toBe(0)
    const sending = model.getState().sendTest()
    expect(model.getState().sending).toBe(true)
    await sending
    expect(model.getState()).toMatchObject({ sending: false, outcome: { delivered: true }, status: { delivered: 1 } })
    expect(describeOutcome(model.getState().outcome!)).toBe('Delivered: the endpoint answered HTTP 200.')
    fake.emit('config.changed', { key: 'notify.webhookUrl' } as never)
    await settle()
    expect(fake.names().filter((n) => n === 'notify.status')).toHaveLength(3)
    dispose()
    expect(fake.listening()).toBe(0)
  })

  it("keeps a refused test as its error, and words a failed delivery in the endpoint's terms", async () => {
    const fake = fakeClient({
      'notify.status': () => ({ ok: true, value: idle }),
      'notify.test': () => ({
        ok: false,
        error: { code: 'rate_limited', message: 'Too many calls that start work: try again in 5 s.' }
      })
    })
    const model = createViewModel(webhookModel, fake.client, undefined)
    await model.getState().sendTest()
    expect(model.getState()).toMatchObject({ sending: false, outcome: null, error: { code: 'rate_limited' } })
    expect(
      describeOutcome({ delivered: false, status: 404, attempts: 1, error: 'the endpoint answered HTTP 404' })
    ).toBe('Not delivered: the endpoint answered HTTP 404.')
  })
})
