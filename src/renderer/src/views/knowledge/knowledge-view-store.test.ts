import { describe, expect, it } from 'vitest'
import type { KosClient } from '../../../../shared/contract/client'
import type { CallName, EventName, EventPayload } from '../../../../shared/contract/contract'
import type { KnowledgeNodeSummary, KnowledgeStats } from '../../../../shared/contract/knowledge-contract'
import { rpcError, type CallResult } from '../../../../shared/contract/rpc-error'
import { createKnowledgeViewStore } from './knowledge-view-store'

type Reply = (input: unknown) => CallResult<unknown>

function fakeClient(replies: Partial<Record<CallName, Reply>>) {
  const calls: { name: CallName; input: unknown }[] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const client = {
    call: async (name: CallName, input: unknown) => {
      calls.push({ name, input })
      return replies[name]?.(input) ?? { ok: false, error: rpcError('unavailable', `no reply scripted for ${name}`) }
    },
    on: (name: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(name) ?? new Set()
      set.add(listener)
      listeners.set(name, set)
      return () => set.delete(listener)
    },
    onStatus: () => () => undefined
  } as unknown as KosClient
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => listeners.get(name)?.forEach((l) => l(payload))
  const listening = (): number => [...listeners.values()].reduce((n, s) => n + s.size, 0)
  return { client, emit, calls, listening }
}

const at = '2026-01-01T00:00:00.000Z'
const stats = (nodes: number): KnowledgeStats => ({ nodes, chunks: nodes, embeddedChunks: 0, embeddedPercent: 0, bytesOnDisk: 4096, collection: null, embedding: { state: 'off', reason: 'no model' }, domains: [], responseCacheEntries: 0 })
const node = (id: string): KnowledgeNodeSummary => ({ id, title: id, domain: null, source: null, confidenceScore: 0.5, usageCount: 0, chunkCount: 1, chars: 10, createdAt: at, updatedAt: at })

describe('knowledge view store', () => {
  it('re-reads stats and documents on refresh, and follows pushed changes and import progress until disposed', async () => {
    let nodes = [node('a')]
    const { client, emit, calls, listening } = fakeClient({
      'knowledge.stats': () => ({ ok: true, value: stats(nodes.length) }),
      'knowledge.list': () => ({ ok: true, value: { nodes, total: nodes.length } })
    })
    const store = createKnowledgeViewStore(client)
    await store.getState().refresh()
    expect(store.getState()).toMatchObject({ loaded: true, total: 1, stats: { nodes: 1 }, loadError: null })

    nodes = [node('b'), node('a')]
    emit('knowledge.changed', stats(2))
    expect(store.getState().stats?.nodes).toBe(2)
    await expect.poll(() => store.getState().nodes.map((n) => n.id)).toEqual(['b', 'a'])

    emit('knowledge.importProgress', { root: '/r', filesDone: 3, filesTotal: 9, current: '/r/x.md', done: false })
    expect(store.getState().progress).toMatchObject({ filesDone: 3, filesTotal: 9 })

    store.dispose()
    expect(listening()).toBe(0)
    expect(calls.filter((c) => c.name === 'knowledge.stats')).toHaveLength(1)
  })

  it('keeps what it had and shows the core’s words when a read fails', async () => {
    const { client } = fakeClient({ 'knowledge.list': () => ({ ok: true, value: { nodes: [], total: 0 } }) })
    const store = createKnowledgeViewStore(client)
    await store.getState().refresh()
    expect(store.getState()).toMatchObject({ loaded: true, stats: null, loadError: { code: 'unavailable', message: 'no reply scripted for knowledge.stats' } })
  })

  it('searches with the domain filter only when one is chosen, and clears results for an empty query', async () => {
    const { client, calls } = fakeClient({
      'knowledge.search': () => ({ ok: true, value: { mode: 'lexical', lexicalReason: 'no model', hits: [], tookMs: 1 } })
    })
    const store = createKnowledgeViewStore(client)
    await store.getState().search('zebra', null)
    await store.getState().search('zebra', 'zoo')
    expect(calls.map((c) => c.input)).toEqual([{ query: 'zebra' }, { query: 'zebra', domain: 'zoo' }])
    expect(store.getState()).toMatchObject({ searchedFor: 'zebra', results: { mode: 'lexical' } })
    await store.getState().search('  ', null)
    expect(store.getState().results).toBeNull()
    expect(calls).toHaveLength(2)
  })
})
