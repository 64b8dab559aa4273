import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ApprovalsChanged } from '../../shared/contract/approvals-contract'
import type { ApprovalVerdict } from '../ports/approvals'
import { useTempDirs } from '../test-support/temp-dir'
import { createApprovalQueue } from './approval-queue'
import { migratedDb, recordedDecisions } from './testing/approvals-db'

const tempDir = useTempDirs()

function queueOn(db = migratedDb()) {
  const changes: ApprovalsChanged[] = []
  const decisions = recordedDecisions()
  let clock = 1_700_000_000_000
  const queue = createApprovalQueue({ db, decisions, changed: (c) => changes.push(c), now: () => clock++ })
  return { db, queue, changes, decisions }
}

const ask = (step: string, runId: string | null = 'run-1') => ({
  runId,
  taskId: null,
  step,
  title: `Publish the ${step} post`,
  reason: 'policy: external actions need a person',
  correlationId: `cor-${step}`
})

describe('approval queue', () => {
  it('files a request once per run and step, and lists what waits oldest first', () => {
    const { queue, changes } = queueOn()
    const first = queue.request(ask('publish'))
    expect(queue.request(ask('publish'))).toBe(first)
    const second = queue.request(ask('pay'))
    const { approvals, pending } = queue.list('pending', 10)
    expect(pending).toBe(2)
    expect(approvals.map((a) => a.id)).toEqual([first, second])
    expect(approvals[0]).toMatchObject({ status: 'pending', step: 'publish', decidedBy: null })
    expect(changes).toEqual([
      { pending: 1, ids: [first] },
      { pending: 2, ids: [second] }
    ])
  })

  it('approves a batch in one write, tells each waiting step, logs each decision, and skips what it cannot decide', () => {
    const { queue, changes, decisions } = queueOn()
    const ids = ['a', 'b', 'c'].map((s) => queue.request(ask(s)))
    const untouched = queue.request(ask('d'))
    const heard: [string, ApprovalVerdict][] = []
    for (const id of [...ids, untouched]) queue.onDecided(id, (v) => heard.push([id, v]))
    queue.decide([ids[0] as string], 'reject', 'person (app)', 'not this one')
    changes.length = 0

    const outcome = queue.decide([...ids, 'apr_missing'], 'approve', 'person (kos)', null)

    expect(outcome.decided.map((a) => a.id)).toEqual([ids[1], ids[2]])
    expect(outcome.decided.every((a) => a.status === 'approved' && a.decidedBy === 'person (kos)')).toBe(true)
    expect(outcome.skipped).toEqual([
      { id: ids[0], reason: 'already_decided', status: 'rejected' },
      { id: 'apr_missing', reason: 'not_found', status: null }
    ])
    expect(outcome.pending).toBe(1)
    expect(heard).toEqual([
      [ids[0], { status: 'rejected', by: 'person (app)', note: 'not this one' }],
      [ids[1], { status: 'approved', by: 'person (kos)', note: null }],
      [ids[2], { status: 'approved', by: 'person (kos)', note: null }]
    ])
    expect(changes).toEqual([{ pending: 1, ids: [ids[1], ids[2]] }])
    expect(decisions.rows.map((d) => [d.kind, d.role, d.decision, d.step])).toEqual([
      ['approval', 'person', 'rejected', 'a'],
      ['approval', 'person', 'approved', 'b'],
      ['approval', 'person', 'approved', 'c']
    ])
    expect(queue.list('decided', 10).approvals.map((a) => a.id)).toEqual([ids[2], ids[1], ids[0]])
  })

  it('decides every pending request with all, and nothing when none waits', () => {
    const { queue } = queueOn()
    for (const s of ['a', 'b', 'c', 'd', 'e']) queue.request(ask(s))
    expect(queue.decide('all', 'reject', 'person (app)', 'too risky').decided).toHaveLength(5)
    expect(queue.pendingCount()).toBe(0)
    expect(queue.decide('all', 'approve', 'person (app)', null)).toEqual({ decided: [], skipped: [], pending: 0 })
  })

  it('hears a decision made after a restart, and one made while it was away at once', () => {
    const file = join(tempDir(), 'kos.db')
    const before = queueOn(migratedDb(file))
    const decidedLater = before.queue.request(ask('deploy'))
    const decidedWhileAway = before.queue.request(ask('pay'))
    let heardBeforeRestart = false
    before.queue.onDecided(decidedLater, () => (heardBeforeRestart = true))
    before.db.close()

    // The CLI decides one while the app is down.
    const cli = queueOn(migratedDb(file))
    cli.queue.decide([decidedWhileAway], 'approve', 'person (kos)', null)
    cli.db.close()

    const after = queueOn(migratedDb(file))
    const heard: [string, ApprovalVerdict][] = []
    after.queue.onDecided(decidedWhileAway, (v) => heard.push([decidedWhileAway, v]))
    expect(heard).toEqual([[decidedWhileAway, { status: 'approved', by: 'person (kos)', note: null }]])
    after.queue.onDecided(decidedLater, (v) => heard.push([decidedLater, v]))
    expect(after.queue.request(ask('deploy'))).toBe(decidedLater)
    after.queue.decide([decidedLater], 'reject', 'person (app)', 'wait for Monday')
    expect(heard[1]).toEqual([decidedLater, { status: 'rejected', by: 'person (app)', note: 'wait for Monday' }])
    expect(heardBeforeRestart).toBe(false)
    after.db.close()
  })

  it('stops telling a listener that unsubscribed', () => {
    const { queue } = queueOn()
    const id = queue.request(ask('x'))
    let heard = 0
    const off = queue.onDecided(id, () => heard++)
    off()
    queue.decide([id], 'approve', 'person (app)', null)
    expect(heard).toBe(0)
  })
})
