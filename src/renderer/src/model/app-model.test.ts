import { describe, expect, it } from 'vitest'
import type { ConfigSnapshot } from '../../../shared/contract/config-contract'
import type { ModelsOverview, NodeView } from '../../../shared/contract/models-contract'
import { appModel, nodeName } from './app-model'
import { fakeClient, settle } from './testing/fake-client'
import { createViewModel } from './view-model'

const config = (profile: string): ConfigSnapshot => ({ profile }) as unknown as ConfigSnapshot

describe('app model', () => {
  it('shows the connection, reads app facts, the session and settings on every connect, and applies config.changed and app.navigate', async () => {
    let reads = 0
    const fake = fakeClient(
      {
        'app.info': () => ({ ok: false, error: { code: 'unavailable', message: 'starting' } }),
        'config.get': () => ({ ok: true, value: config(`p${++reads}`) }),
        'app.session': () => ({ ok: true, value: { access: 'readOnly', scopes: ['read'], workPerMinute: 3 } })
      },
      'connecting'
    )
    const app = createViewModel(appModel, fake.client, undefined)
    const dispose = app.connect()
    expect(app.getState().connection).toBe('connecting')
    fake.setStatus('connected')
    await settle()
    expect(app.getState()).toMatchObject({
      connection: 'connected',
      config: { profile: 'p1' },
      loadError: { message: 'starting' },
      session: { access: 'readOnly', scopes: ['read'] }
    })
    fake.setStatus('disconnected')
    expect(app.getState().connection).toBe('disconnected')
    fake.setStatus('connected')
    await settle()
    expect(app.getState().config?.profile).toBe('p2')

    fake.emit('config.changed', config('from another window'))
    expect(app.getState().config?.profile).toBe('from another window')
    fake.emit('app.navigate', { view: 'checklist' })
    fake.emit('app.navigate', { view: 'checklist' })
    expect(app.getState().navigation).toEqual({ view: 'checklist', seq: 2 })
    dispose()
    expect(fake.listening()).toBe(0)
  })

  it('names each node by its label, read on connect and followed as nodes are added or renamed', async () => {
    const overview = (nodes: [string, string][]): ModelsOverview => ({
      // Only what names a node matters here.
      nodes: nodes.map(([id, label]) => ({ id, label }) as NodeView),
      speeds: [],
      preferences: [],
      categories: []
    })
    const fake = fakeClient({
      'models.list': () => ({ ok: true, value: overview([['ollama-local', 'Ollama on this Mac']]) })
    })
    const app = createViewModel(appModel, fake.client, undefined)
    const dispose = app.connect()
    await settle()
    const name = (id: string): string => nodeName(app.getState().nodeLabels, id)
    expect(name('ollama-local')).toBe('Ollama on this Mac')
    fake.emit(
      'models.changed',
      overview([
        ['ollama-local', 'This Mac'],
        ['studio', 'Studio']
      ])
    )
    expect([name('ollama-local'), name('studio')]).toEqual(['This Mac', 'Studio'])
    // A node since removed, or a word recorded instead of an id, reads as it was recorded.
    expect([name('old-node'), name('this Mac')]).toEqual(['old-node', 'this Mac'])
    dispose()
  })
})
