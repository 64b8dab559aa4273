import { describe, expect, it } from 'vitest'
import { KNOWLEDGE_CALLS } from '../../shared/contract/knowledge-contract'
import type { CallContext } from '../rpc/handler-types'
import { memoryLogger } from '../test-support/memory-logger'
import { FIXTURES, useKnowledgeKits } from './test-support/test-kit'
import { answering } from '../test-support/answering-handlers'
import { Refusal } from '../rpc/refusal'

const kit = useKnowledgeKits()

const ctx: CallContext = {
  scopes: new Set(['read', 'write']),
  transport: 'ws',
  correlationId: 'test',
  log: memoryLogger().logger
}

/** The refusal a handler answers with, as the caller would get it; null when it answered. */
async function failure(run: () => unknown): Promise<unknown> {
  const value = await run()
  return value instanceof Refusal ? value.error : null
}

describe('knowledge handlers', () => {
  it('answer in the contract’s shapes', async () => {
    const k = kit()
    const h = answering(k.knowledge.handlers)
    const report = await h['knowledge.importFolder']({ path: FIXTURES }, ctx)
    expect(KNOWLEDGE_CALLS['knowledge.importFolder'].output.parse(report).added).toBe(6)
    const search = await h['knowledge.search']({ query: 'nomic "embed' }, ctx)
    expect(KNOWLEDGE_CALLS['knowledge.search'].output.parse(search).hits[0]?.node.title).toBe(
      'Setting up Ollama for embeddings'
    )
    const node = await h['knowledge.get']({ id: search.hits[0]!.node.id }, ctx)
    expect(KNOWLEDGE_CALLS['knowledge.get'].output.parse(node).content).toContain('nomic-embed-text')
    expect(KNOWLEDGE_CALLS['knowledge.stats'].output.parse(await h['knowledge.stats']({}, ctx))).toMatchObject({
      nodes: 6,
      embedding: { state: 'off' }
    })
    expect(
      KNOWLEDGE_CALLS['knowledge.context'].output.parse(await h['knowledge.context']({ query: 'WAL' }, ctx)).sources[0]
        ?.title
    ).toBe('sqlite-tips.txt')
    expect(await h['knowledge.clearResponseCache']({}, ctx)).toEqual({ removed: 0 })
  })

  it('turn refusals into typed errors that name the thing and what to do', async () => {
    const k = kit()
    const h = k.knowledge.handlers
    expect(await failure(() => h['knowledge.get']({ id: 'nope' }, ctx))).toEqual({
      code: 'not_found',
      message: 'There is no document with id nope; it may have been deleted. Search again.'
    })
    expect(await failure(() => h['knowledge.importFolder']({ path: '/nowhere/at/all' }, ctx))).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('/nowhere/at/all does not exist')
    })
    expect(await failure(() => h['knowledge.reembed']({}, ctx))).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('Re-embedding needs an embedding model')
    })
    expect(KNOWLEDGE_CALLS['knowledge.search'].input.safeParse({ query: '' }).error?.issues[0]?.message).toBe(
      'Type something to search for.'
    )
  })
})
