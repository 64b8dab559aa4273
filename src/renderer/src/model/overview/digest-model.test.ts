import { describe, expect, it } from 'vitest'
import type { Digest } from '../../../../shared/contract/digest-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { digestModel, share } from './digest-model'

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

describe('digest model', () => {
  it('reads since the last visit before recording this one (once), switches to since-morning, and re-reads when a digest is made', async () => {
    const fake = fakeClient({
      'digest.get': ({ since }) => ({ ok: true, value: digest(since === 'last_visit' ? 'last_visit' : 'morning', 1) }),
      'digest.seen': () => ({ ok: true, value: { seenAt: '2026-12-01T18:00:00.000Z' } })
    })
    const model = createViewModel(digestModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    expect(fake.calls.map((c) => c.name)).toEqual(['digest.get', 'digest.seen'])
    expect(fake.calls[0]?.input).toEqual({ since: 'last_visit' })
    expect(model.getState()).toMatchObject({ basis: 'last_visit', digest: { basis: 'last_visit' } })
    await model.getState().show('morning')
    expect(model.getState()).toMatchObject({ basis: 'morning', digest: { basis: 'morning' } })
    // A reconnect reads again, without recording another visit.
    fake.setStatus('disconnected')
    fake.setStatus('connected')
    await settle()
    expect(fake.names().filter((n) => n === 'digest.seen')).toHaveLength(1)
    fake.emit('digest.ready', digest('instant', 5))
    await settle()
    expect(fake.calls.at(-1)?.input).toEqual({ since: 'morning' })
    dispose()
    expect(fake.listening()).toBe(0)
  })

  it('shows the fallback share as a percentage, or a dash when nobody chatted', () => {
    expect(share(1 / 3)).toBe('33%')
    expect(share(null)).toBe('—')
  })
})
