import { describe, expect, it } from 'vitest'
import type { KosClient } from '../../../../shared/contract/client'
import type { Digest } from '../../../../shared/contract/digest-contract'
import { createDigestStore, share } from './digest-store'

const digest = (basis: Digest['basis'], completed: number): Digest => ({
  from: '2026-12-01T08:00:00.000Z',
  to: '2026-12-01T18:00:00.000Z',
  basis,
  tasks: { completed, inReview: 0, reviewCauses: {}, reviewSamples: [] },
  restarts: { count: 0, latest: [] },
  circuits: { count: 0, latest: [] },
  chat: { answers: 0, fallbacks: 0, fallbackShare: null },
  usage: { requests: 0, tokensIn: 0, tokensOut: 0, cost: 0 }
})

function fakeClient() {
  const calls: string[] = []
  let ready: (() => void) | null = null
  const client = {
    call: (name: string, input: { since?: string }) => {
      calls.push(input.since ? `${name}:${input.since}` : name)
      if (name === 'digest.seen') return Promise.resolve({ ok: true, value: { seenAt: '2026-12-01T18:00:00.000Z' } })
      return Promise.resolve({ ok: true, value: digest(input.since === 'last_visit' ? 'last_visit' : 'morning', calls.length) })
    },
    on: (_name: string, listener: () => void) => {
      ready = listener
      return () => void (ready = null)
    }
  } as unknown as KosClient
  return { client, calls, fireReady: () => ready?.() , listening: () => ready !== null }
}

describe('digest card store', () => {
  it('reads since the last visit before recording this one, switches to since-morning, and re-reads when a digest is made', async () => {
    const { client, calls, fireReady, listening } = fakeClient()
    const store = createDigestStore(client)
    await store.getState().load()
    expect(calls).toEqual(['digest.get:last_visit', 'digest.seen'])
    expect(store.getState()).toMatchObject({ basis: 'last_visit', digest: { basis: 'last_visit' } })
    await store.getState().show('morning')
    expect(store.getState()).toMatchObject({ basis: 'morning', digest: { basis: 'morning' } })
    fireReady()
    await Promise.resolve()
    expect(calls.at(-1)).toBe('digest.get:morning')
    store.dispose()
    expect(listening()).toBe(false)
  })

  it('shows the fallback share as a percentage, or a dash when nobody chatted', () => {
    expect(share(1 / 3)).toBe('33%')
    expect(share(null)).toBe('—')
  })
})
