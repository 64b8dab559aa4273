import { describe, expect, it } from 'vitest'
import type { BoardDecisionSummary } from '../../../../shared/contract/board-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { boardModel, matchesFilters } from './board-model'

const decision = (id: string, patch: Partial<BoardDecisionSummary> = {}): BoardDecisionSummary => ({
  id,
  question: `Should we ${id}?`,
  decision: 'Yes.',
  outcome: 'approved',
  tally: { for: 4, against: 0, abstain: 0 },
  source: 'manual',
  sessionId: null,
  messageId: null,
  taskId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...patch
})

describe('board model', () => {
  it('reads a page of decisions and the members, applies board.decided to it, and opens the decision the URL names', async () => {
    const fake = fakeClient({
      'board.decisions.list': () => ({ ok: true, value: { decisions: [decision('a')], nextCursor: null } }),
      'board.members': () => ({ ok: true, value: { members: [], timeoutSec: 60, modelConnected: false } }),
      'board.decisions.get': ({ id }) => ({
        ok: true,
        value: {
          ...decision(id),
          rationale: '',
          risks: [],
          positions: [],
          chairName: 'Chair',
          userId: 'u',
          correlationId: 'c'
        }
      })
    })
    const model = createViewModel(boardModel, fake.client, 'a')
    const dispose = model.connect()
    await settle()
    expect(model.getState()).toMatchObject({ timeoutSec: 60, modelConnected: false, selected: { id: 'a' } })
    const reads = fake.calls.length
    fake.emit('board.decided', decision('b', { source: 'chat' }))
    expect(model.getState().decisions?.items.map((d) => d.id)).toEqual(['b', 'a'])
    await model.getState().setFilters({ source: 'manual' })
    fake.emit('board.decided', decision('c', { source: 'chat' }))
    expect(model.getState().decisions?.items.map((d) => d.id)).toEqual(['a'])
    expect(fake.calls.length).toBe(reads + 2)
    dispose()
  })

  it('filters a pushed decision as the store’s SQL does', () => {
    const none = { source: '', outcome: '', query: '' } as const
    expect(matchesFilters(decision('x'), { ...none, query: 'SHOULD we' })).toBe(true)
    expect(matchesFilters(decision('x'), { ...none, query: 'zebra' })).toBe(false)
    expect(matchesFilters(decision('x'), { ...none, outcome: 'rejected' })).toBe(false)
  })
})
