import { describe, expect, it } from 'vitest'
import { chatTestDb } from '../board/testing/test-core'
import type { ChatCompletionInfo } from '../ports/chat-model'
import { createUsageLedger } from './usage-ledger'

const info = (node: string, tokensIn: number, tokensOut: number): ChatCompletionInfo => ({
  node,
  model: 'm',
  tokensIn,
  tokensOut,
  ttftMs: 1,
  durationMs: 100,
  fellBack: false
})

describe('usage ledger', () => {
  it('charges remote nodes at the configured price and this Mac’s nodes nothing, per session, expert and day', () => {
    let clock = new Date('2026-03-10T23:00:00.000Z')
    const ledger = createUsageLedger(chatTestDb(), {
      pricePer1k: () => 0.5,
      dailyBudget: () => 0,
      threshold: () => 0.3,
      isRemoteNode: (n) => n === 'cloud',
      now: () => clock
    })
    const base = { correlationId: 'c', messageId: null, purpose: 'answer' as const, expertAnswer: true }
    ledger.record({ ...base, sessionId: 's1', expertId: 'igor', info: info('cloud', 1500, 500) })
    ledger.record({ ...base, sessionId: 's1', expertId: 'igor', info: info('ollama-local', 1000, 1000) })
    clock = new Date('2026-03-11T01:00:00.000Z')
    ledger.record({ ...base, sessionId: 's2', expertId: 'olga', info: info('cloud', 1000, 0) })
    const summary = ledger.summary(2, { expert: (id) => id.toUpperCase() })
    expect(summary.byDay.map((d) => [d.key, d.cost, d.requests])).toEqual([
      ['2026-03-10', 1, 2],
      ['2026-03-11', 0.5, 1]
    ])
    expect(summary.byExpert.map((e) => [e.label, e.tokensIn + e.tokensOut, e.cost])).toEqual([
      ['IGOR', 4000, 1],
      ['OLGA', 1000, 0.5]
    ])
    expect(summary.bySession.map((s) => [s.key, s.label])).toEqual([
      ['s1', 'Deleted session'],
      ['s2', 'Deleted session']
    ])
    expect(summary.today).toEqual({ tokens: 1000, cost: 0.5 })
    expect(summary.budgetExceeded).toBe(false)
  })
})
