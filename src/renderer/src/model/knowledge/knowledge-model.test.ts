import { describe, expect, it } from 'vitest'
import type { KnowledgeNodeSummary, KnowledgeStats } from '../../../../shared/contract/knowledge-contract'
import { fakeClient } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { knowledgeModel } from './knowledge-model'

const at = '2026-01-01T00:00:00.000Z'
const stats = (nodes: number): KnowledgeStats => ({
  nodes,
  chunks: nodes,
  embeddedChunks: 0,
  embeddedPercent: 0,
  bytesOnDisk: 4096,
  collection: null,
  embedding: { state: 'off', reason: 'no model' },
  domains: [],
  responseCacheEntries: 0
})
const node = (id: string): KnowledgeNodeSummary => ({
  id,
  title: id,
  domain: null,
  source: null,
  confidenceScore: 0.5,
  usageCount: 0,
  chunkCount: 1,
  chars: 10,
  createdAt: at,
  updatedAt: at
})

describe('knowledge view model', () => {
  it('re-reads stats and documents on refresh, and follows pushed changes and import progress until disposed', async () => {
    let nodes = [node('a')]
    const { client, emit, calls, listening } = fakeClient(
      {
        'knowledge.stats': () => ({ ok: true, value: stats(nodes.length) }),
        'knowledge.list': () => ({ ok: true, value: { nodes, total: nodes.length, nextCursor: null } })
      },
      'connecting'
    )
    const store = createViewModel(knowledgeModel, client, undefined)
    const dispose = store.connect()
    await store.getState().refresh()
    expect(store.getState()).toMatchObject({
      loaded: true,
      documents: { total: 1 },
      stats: { nodes: 1 },
      loadError: null
    })

    nodes = [node('b'), node('a')]
    emit('knowledge.changed', stats(2))
    expect(store.getState().stats?.nodes).toBe(2)
    await expect.poll(() => store.getState().documents.items.map((n) => n.id)).toEqual(['b', 'a'])

    emit('knowledge.importProgress', { root: '/r', filesDone: 3, filesTotal: 9, current: '/r/x.md', done: false })
    expect(store.getState().progress).toMatchObject({ filesDone: 3, filesTotal: 9 })

    dispose()
    expect(listening()).toBe(0)
    expect(calls.filter((c) => c.name === 'knowledge.stats')).toHaveLength(1)
  })

  it('keeps what it had and shows the core’s words when a read fails', async () => {
    const { client } = fakeClient(
      { 'knowledge.list': () => ({ ok: true, value: { nodes: [], total: 0, nextCursor: null } }) },
      'connecting'
    )
    const store = createViewModel(knowledgeModel, client, undefined)
    await store.getState().refresh()
    expect(store.getState()).toMatchObject({
      loaded: true,
      stats: null,
      loadError: { code: 'unavailable', message: 'no reply scripted for knowledge.stats' }
    })
  })

  it('searches with the domain filter only when one is chosen, and clears results for an empty query', async () => {
    const { client, calls } = fakeClient(
      {
        'knowledge.search': () => ({
          ok: true,
          value: { mode: 'lexical', lexicalReason: 'no model', hits: [], tookMs: 1 }
        })
      },
      'connecting'
    )
    const store = createViewModel(knowledgeModel, client, undefined)
    await store.getState().search('zebra', null)
    await store.getState().search('zebra', 'zoo')
    expect(calls.map((c) => c.input)).toEqual([{ query: 'zebra' }, { query: 'zebra', domain: 'zoo' }])
    expect(store.getState()).toMatchObject({ searchedFor: 'zebra', results: { mode: 'lexical' } })
    await store.getState().search('  ', null)
    expect(store.getState().results).toBeNull()
    expect(calls).toHaveLength(2)
  })

  it('says how many chunks an added text was cut into, one in the singular', async () => {
    let chunkCount = 1
    const { client } = fakeClient(
      { 'knowledge.addText': () => ({ ok: true, value: { ...node('n1'), title: 'Backup policy', chunkCount } }) },
      'connecting'
    )
    const store = createViewModel(knowledgeModel, client, undefined)
    await store.getState().addText({ title: 'Backup policy', content: 'Kept 30 days.', domain: null })
    expect(store.getState().notice).toBe('Added “Backup policy” (1 chunk).')
    chunkCount = 3
    await store.getState().addText({ title: 'Backup policy', content: 'Kept 30 days.', domain: null })
    expect(store.getState().notice).toBe('Added “Backup policy” (3 chunks).')
  })

  it('pages documents as the list scrolls, and re-reads the first page only when documents come, go or are re-cut', async () => {
    const all = Array.from({ length: 5 }, (_, i) => node(`n${i}`))
    const { client, emit, calls } = fakeClient(
      {
        'knowledge.stats': () => ({ ok: true, value: stats(5) }),
        'knowledge.list': (input) => {
          const from = input.cursor ? Number(input.cursor.split(':')[0]) : 0
          const nodes = all.slice(from, from + 2)
          return {
            ok: true,
            value: {
              nodes,
              total: input.cursor ? null : all.length,
              nextCursor: from + 2 < all.length ? `${from + 2}:x` : null
            }
          }
        }
      },
      'connecting'
    )
    const store = createViewModel(knowledgeModel, client, undefined)
    const dispose = store.connect()
    await store.getState().refresh()
    expect(store.getState().documents).toMatchObject({ total: 5, nextCursor: '2:x' })
    await store.getState().loadMore()
    await store.getState().loadMore()
    await store.getState().loadMore()
    expect(store.getState().documents.items.map((n) => n.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4'])
    expect(store.getState().documents.nextCursor).toBeNull()
    const lists = calls.filter((c) => c.name === 'knowledge.list').length
    expect(lists).toBe(3)

    emit('knowledge.changed', { ...stats(5), embeddedChunks: 3 })
    expect(calls.filter((c) => c.name === 'knowledge.list')).toHaveLength(lists)
    emit('knowledge.changed', stats(6))
    expect(calls.filter((c) => c.name === 'knowledge.list')).toHaveLength(lists + 1)
    dispose()
  })
})
