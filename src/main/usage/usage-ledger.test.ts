import { describe, expect, it } from 'vitest'
import type { BudgetPeriod } from '../../shared/contract/usage-contract'
import { chatTestDb } from '../board/testing/test-core'
import type { Db } from '../db/database'
import type { ChatCompletionInfo } from '../ports/chat-model'
import { periodStart } from './budget-period'
import { createUsageLedger, type UsageRecord } from './usage-ledger'
import { createUsageReport } from './usage-report'

const info = (node: string, tokensIn: number, tokensOut: number, model = 'm'): ChatCompletionInfo => ({
  node,
  model,
  tokensIn,
  tokensOut,
  counted: 'backend',
  ttftMs: 1,
  durationMs: 100,
  fellBack: false
})

const task = (project: string | null, i: ChatCompletionInfo, expertId = 'coder'): UsageRecord => ({
  correlationId: 'c',
  source: 'task',
  purpose: 'task',
  taskId: 't',
  expertId,
  project,
  info: i
})

function ledgerAt(db: Db, clock: { now: Date }, budget = 0, period: BudgetPeriod = 'day') {
  const settings = { budget, period }
  const ledger = createUsageLedger(db, {
    pricePer1k: () => 0.5,
    tokenBudget: () => settings.budget,
    budgetPeriod: () => settings.period,
    isRemoteNode: (n) => n === 'cloud',
    now: () => clock.now
  })
  const report = createUsageReport(db, { ledger, pricePer1k: () => 0.5, now: () => clock.now })
  return { ledger, report, settings }
}

const labels = { expert: (id: string) => id.toUpperCase(), node: (id: string) => `node ${id}` }

describe('usage ledger', () => {
  it('totals every source by project, node, model, expert and day, charging remote nodes only', () => {
    const clock = { now: new Date('2026-03-10T23:00:00.000Z') }
    const { ledger, report } = ledgerAt(chatTestDb(), clock)
    ledger.record(task('website', info('cloud', 1500, 500, 'qwen')))
    ledger.record(task('website', info('ollama-local', 1000, 1000, 'llama')))
    ledger.record({
      correlationId: 'c2',
      source: 'chat',
      purpose: 'answer',
      sessionId: 's1',
      expertId: 'igor',
      info: { ...info('ollama-local', 300, 200, 'llama'), counted: 'estimate' }
    })
    clock.now = new Date('2026-03-11T01:00:00.000Z')
    ledger.record({ ...task('coding', info('cloud', 1000, 0, 'qwen'), 'olga'), source: 'workflow' })

    const byProject = report({ since: '2026-03-10', by: 'project' }, labels)
    expect(byProject.groups.map((g) => [g.label, g.tokensIn + g.tokensOut, g.cost, g.requests])).toEqual([
      ['website', 4000, 1, 2],
      ['coding', 1000, 0.5, 1],
      ['No project (chat)', 500, 0, 1]
    ])
    expect(byProject.total).toMatchObject({
      tokensIn: 3800,
      tokensOut: 1700,
      estimatedTokens: 500,
      cost: 1.5,
      requests: 4,
      bySource: { chat: 500, board: 0, task: 4000, workflow: 1000 }
    })
    expect(report({ since: '2026-03-10', by: 'node' }, labels).groups.map((g) => [g.key, g.label, g.cost])).toEqual([
      ['cloud', 'node cloud', 1.5],
      ['ollama-local', 'node ollama-local', 0]
    ])
    expect(report({ since: '2026-03-10', by: 'model' }, labels).groups.map((g) => g.key)).toEqual(['qwen', 'llama'])
    expect(report({ since: '2026-03-10', by: 'expert' }, labels).groups.map((g) => g.label)).toEqual([
      'CODER',
      'OLGA',
      'IGOR'
    ])
    // Every day of the range, empty ones too, in order.
    expect(
      report({ since: '2026-03-09', by: 'day' }, labels).groups.map((g) => [g.key, g.tokensIn + g.tokensOut])
    ).toEqual([
      ['2026-03-09', 0],
      ['2026-03-10', 4500],
      ['2026-03-11', 1000]
    ])
    expect(report({ since: '2026-03-11', by: 'project' }, labels).total.requests).toBe(1)
  })

  it('names the calls without a project by what they are: tasks without a domain are not called chat', () => {
    const clock = { now: new Date('2026-03-10T10:00:00.000Z') }
    const { ledger, report } = ledgerAt(chatTestDb(), clock)
    ledger.record(task(null, info('ollama-local', 900, 100)))
    ledger.record({
      correlationId: 'c2',
      source: 'board',
      purpose: 'answer',
      expertId: 'board',
      info: info('ollama-local', 20, 10)
    })
    expect(report({ since: '2026-03-10', by: 'project' }, labels).groups).toMatchObject([
      { key: '', label: 'No project (tasks without a domain, board)', bySource: { task: 1000, board: 30 } }
    ])
  })

  it('alerts once per period when the total passes the budget, also across a restart, and again the next period', () => {
    const db = chatTestDb()
    const clock = { now: new Date('2026-03-10T08:00:00.000Z') }
    const { ledger } = ledgerAt(db, clock, 1000)
    expect(ledger.record(task('a', info('ollama-local', 400, 400)))).toBeNull()
    expect(ledger.record(task('a', info('ollama-local', 100, 200)))).toEqual({
      period: 'day',
      start: '2026-03-10',
      tokens: 1100,
      budget: 1000
    })
    clock.now = new Date('2026-03-10T09:00:00.000Z')
    expect(ledger.record(task('a', info('ollama-local', 500, 500)))).toBeNull()
    // A new process over the same database: the period's alert went out already.
    const restarted = ledgerAt(db, clock, 1000).ledger
    expect(restarted.record(task('a', info('ollama-local', 1, 1)))).toBeNull()
    expect(restarted.budget()).toMatchObject({ used: 2102, exceeded: true, alertedAt: '2026-03-10T08:00:00.000Z' })

    clock.now = new Date('2026-03-11T00:00:01.000Z')
    expect(restarted.budget()).toMatchObject({ start: '2026-03-11', used: 0, exceeded: false, alertedAt: null })
    expect(restarted.record(task('a', info('ollama-local', 600, 0)))).toBeNull()
    expect(restarted.record(task('a', info('ollama-local', 600, 0)))).toMatchObject({
      start: '2026-03-11',
      tokens: 1200
    })
  })

  it('counts a week from Monday and a month from its first day, and a budget of 0 never alerts', () => {
    const db = chatTestDb()
    const clock = { now: new Date('2026-03-12T10:00:00.000Z') } // a Thursday
    expect(periodStart('week', clock.now).toISOString()).toBe('2026-03-09T00:00:00.000Z')
    expect(periodStart('week', new Date('2026-03-15T23:59:59.000Z')).toISOString()).toBe('2026-03-09T00:00:00.000Z')
    expect(periodStart('month', clock.now).toISOString()).toBe('2026-03-01T00:00:00.000Z')
    const { ledger, settings } = ledgerAt(db, clock, 0, 'week')
    expect(ledger.record(task('a', info('ollama-local', 5000, 5000)))).toBeNull()
    settings.budget = 15_000
    clock.now = new Date('2026-03-15T20:00:00.000Z') // Sunday: the same week
    expect(ledger.record(task('a', info('ollama-local', 3000, 3000)))).toMatchObject({
      period: 'week',
      start: '2026-03-09',
      tokens: 16_000
    })
    clock.now = new Date('2026-03-16T00:00:00.000Z') // Monday: a new week, nothing used yet
    expect(ledger.budget()).toMatchObject({ start: '2026-03-16', used: 0, exceeded: false })
    settings.period = 'month'
    expect(ledger.budget()).toMatchObject({ start: '2026-03-01', used: 16_000, exceeded: true, alertedAt: null })
  })
})
