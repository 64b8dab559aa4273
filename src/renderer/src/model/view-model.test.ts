import { describe, expect, it } from 'vitest'
import type { OverviewSample } from '../../../shared/contract/overview-contract'
import { fakeClient, settle } from './testing/fake-client'
import { createViewModel, defineViewModel } from './view-model'

const sample = (at: string): OverviewSample => ({
  at,
  completionsPerMinute: null,
  pending: null,
  inProgress: null,
  deferred: null,
  health: null,
  latencyByBackend: {}
})

/** A view model that counts what the pattern does for it. */
function counting() {
  const seen = { reloads: 0, statuses: [] as string[], disposed: 0 }
  const definition = defineViewModel<
    { label: string; samples: number },
    { rename(label: string): void },
    string,
    { renames: number }
  >({
    initialState: (label) => ({ label, samples: 0 }),
    local: () => ({ renames: 0 }),
    actions: ({ set, local }) => ({
      rename(label) {
        local.renames += 1
        set({ label })
      }
    }),
    events: { 'overview.sample': (_sample, { get, set }) => set({ samples: get().samples + 1 }) },
    async reload() {
      seen.reloads += 1
    },
    status: (status) => void seen.statuses.push(status),
    dispose: ({ local }) => void (seen.disposed += local.renames)
  })
  return { definition, seen }
}

describe('view-model pattern', () => {
  it('starts from the initial state its parameter gives, with its actions', () => {
    const { definition } = counting()
    const model = createViewModel(definition, fakeClient({}).client, 'first')
    model.getState().rename('second')
    expect(model.getState().label).toBe('second')
  })

  it('reads when it connects to a live link, not while the link is down, and again after each reconnect', async () => {
    const { definition, seen } = counting()
    const fake = fakeClient({}, 'connecting')
    const model = createViewModel(definition, fake.client, 'x')
    const dispose = model.connect()
    await settle()
    expect(seen.reloads).toBe(0)
    fake.setStatus('connected')
    fake.setStatus('disconnected')
    fake.setStatus('connected')
    expect(seen.reloads).toBe(2)
    expect(seen.statuses).toEqual(['connecting', 'connected', 'disconnected', 'connected'])
    dispose()
  })

  it('applies its events only while connected, and its disposal drops every subscription and runs its own', () => {
    const { definition, seen } = counting()
    const fake = fakeClient({})
    const model = createViewModel(definition, fake.client, 'x')
    fake.emit('overview.sample', sample('2026-01-01T00:00:00.000Z'))
    const dispose = model.connect()
    fake.emit('overview.sample', sample('2026-01-01T00:00:15.000Z'))
    model.getState().rename('y')
    dispose()
    fake.emit('overview.sample', sample('2026-01-01T00:00:30.000Z'))
    expect(model.getState().samples).toBe(1)
    expect(fake.listening()).toBe(0)
    expect(seen.disposed).toBe(1)
  })

  it('can connect again after a disposal, as React does when it remounts a view', () => {
    const { definition, seen } = counting()
    const fake = fakeClient({})
    const model = createViewModel(definition, fake.client, 'x')
    model.connect()()
    const dispose = model.connect()
    fake.emit('overview.sample', sample('2026-01-01T00:00:00.000Z'))
    expect(model.getState().samples).toBe(1)
    expect(seen.reloads).toBe(2)
    dispose()
  })
})
