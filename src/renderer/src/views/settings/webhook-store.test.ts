import { describe, expect, it } from 'vitest'
import type { KosClient } from '../../../../shared/contract/client'
import type { NotifyStatus } from '../../../../shared/contract/notify-contract'
import { rpcError } from '../../../../shared/contract/rpc-error'
import { createWebhookStore, describeOutcome } from './webhook-store'

const idle: NotifyStatus = { configured: true, format: 'ntfy', queued: 0, dropped: 0, delivered: 0, failed: 0, lastDeliveredAt: null, lastError: null }

function fakeClient(test: () => unknown) {
  let status = idle
  let reads = 0
  const listeners = new Set<() => void>()
  const client = {
    call: (name: string) => {
      if (name === 'notify.status') {
        reads += 1
        return Promise.resolve({ ok: true, value: status })
      }
      const value = test()
      if (value instanceof Error) return Promise.resolve({ ok: false, error: rpcError('rate_limited', value.message) })
      status = { ...status, delivered: status.delivered + 1 }
      return Promise.resolve({ ok: true, value })
    },
    on: (_name: string, listener: () => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  } as unknown as KosClient
  return { client, listeners, reads: () => reads }
}

describe('webhook card store', () => {
  it('sends a test, shows what the endpoint answered, and re-reads the queue', async () => {
    const { client } = fakeClient(() => ({ delivered: true, status: 200, attempts: 1, error: null }))
    const store = createWebhookStore(client)
    await store.getState().load()
    expect(store.getState().status?.delivered).toBe(0)
    const sending = store.getState().sendTest()
    expect(store.getState().sending).toBe(true)
    await sending
    expect(store.getState()).toMatchObject({ sending: false, outcome: { delivered: true }, status: { delivered: 1 } })
    expect(describeOutcome(store.getState().outcome!)).toBe('Delivered: the endpoint answered HTTP 200.')
  })

  it('shows a refused call as its error, and a failed delivery in the endpoint\'s words', async () => {
    const refused = createWebhookStore(fakeClient(() => new Error('Too many calls that start work: try again in 5 s.')).client)
    await refused.getState().sendTest()
    expect(refused.getState()).toMatchObject({ sending: false, outcome: null, error: { code: 'rate_limited' } })
    expect(describeOutcome({ delivered: false, status: 404, attempts: 1, error: 'the endpoint answered HTTP 404' })).toBe('Not delivered: the endpoint answered HTTP 404.')
  })

  it('re-reads when a setting changes and stops listening when disposed', async () => {
    const { client, listeners, reads } = fakeClient(() => null)
    const store = createWebhookStore(client)
    expect(listeners.size).toBe(1)
    for (const l of listeners) l()
    expect(reads()).toBe(1)
    store.dispose()
    expect(listeners.size).toBe(0)
  })
})
