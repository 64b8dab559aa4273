import { describe, expect, it } from 'vitest'
import type { KnowledgeStats } from '../../shared/contract/knowledge-contract'
import { knowledgeHealth } from './knowledge-health'

const base: KnowledgeStats = {
  nodes: 1,
  chunks: 4,
  embeddedChunks: 2,
  embeddedPercent: 50,
  bytesOnDisk: 0,
  collection: null,
  embedding: { state: 'off', reason: 'x' },
  domains: [],
  responseCacheEntries: 0
}
const report = (embedding: KnowledgeStats['embedding']) =>
  knowledgeHealth({ stats: () => ({ ...base, embedding }) }).report()

describe('knowledge health', () => {
  it('is ok while every chunk is (being) embedded, degraded with an actionable reason otherwise', () => {
    expect(report({ state: 'idle', model: { id: 'm', dimension: 8 } })).toEqual({
      component: 'knowledge',
      level: 'ok',
      reasons: []
    })
    expect(report({ state: 'waiting', reason: 'Ollama is not running' })).toEqual({
      component: 'knowledge',
      level: 'degraded',
      reasons: ['Search by meaning is off: Ollama is not running']
    })
    expect(
      report({ state: 'model_changed', active: { id: 'a', dimension: 384 }, current: { id: 'b', dimension: 768 } })
    ).toMatchObject({ level: 'degraded', reasons: [expect.stringContaining('re-embed the knowledge base')] })
    expect(
      report({ state: 'failed', model: { id: 'm', dimension: 8 }, reason: 'Embedding with m failed: timeout' })
    ).toEqual({
      component: 'knowledge',
      level: 'degraded',
      reasons: ['Embedding with m failed: timeout (2 of 4 chunks embedded)']
    })
  })
})
