import { describe, expect, it } from 'vitest'
import type { Approval } from '../../../../shared/contract/approvals-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { approvalsModel, selectedIds } from './approvals-model'

const approval = (id: string, status: Approval['status'] = 'pending'): Approval => ({
  id,
  runId: 'run-1',
  taskId: null,
  step: id,
  title: `Allow ${id}`,
  reason: 'external action',
  correlationId: null,
  status,
  decidedBy: status === 'pending' ? null : 'person (app)',
  note: null,
  requestedAt: '2026-12-01T10:00:00.000Z',
  decidedAt: status === 'pending' ? null : '2026-12-01T10:05:00.000Z'
})

function setup(initial: Approval[]) {
  let queue = [...initial]
  const fake = fakeClient({
    'approvals.list': ({ show }) => ({
      ok: true,
      value: {
        approvals: queue.filter((a) => (show === 'decided' ? a.status !== 'pending' : a.status === 'pending')),
        pending: queue.filter((a) => a.status === 'pending').length
      }
    }),
    'approvals.decide': ({ verdict, ids, all }) => {
      const status = verdict === 'approve' ? 'approved' : 'rejected'
      const targets = all ? queue.filter((a) => a.status === 'pending').map((a) => a.id) : (ids ?? [])
      const decided = queue.filter((a) => targets.includes(a.id) && a.status === 'pending')
      queue = queue.map((a) => (decided.includes(a) ? { ...a, status } : a))
      return {
        ok: true,
        value: {
          decided: decided.map((a) => ({ ...a, status })),
          skipped: targets
            .filter((id) => !decided.some((a) => a.id === id))
            .map((id) => ({ id, reason: 'already_decided' as const, status: 'approved' as const })),
          pending: queue.filter((a) => a.status === 'pending').length
        }
      }
    }
  })
  const model = createViewModel(approvalsModel, fake.client, undefined)
  const dispose = model.connect()
  return {
    fake,
    model,
    dispose,
    decideElsewhere: (id: string) => (queue = queue.map((a) => (a.id === id ? { ...a, status: 'approved' } : a)))
  }
}

describe('approvals model', () => {
  it('approves the ticked requests as one batch with the note, then reads the queue again', async () => {
    const { fake, model } = setup([approval('a'), approval('b'), approval('c')])
    await settle()
    expect(model.getState().pending).toBe(3)
    model.getState().toggle('a')
    model.getState().toggle('c')
    model.getState().setNote('checked the invoices')
    await model.getState().decide('approve', 'selected')
    expect(fake.calls.find((c) => c.name === 'approvals.decide')?.input).toEqual({
      verdict: 'approve',
      ids: ['a', 'c'],
      note: 'checked the invoices'
    })
    const s = model.getState()
    expect(s.approvals?.map((a) => a.id)).toEqual(['b'])
    expect(s.pending).toBe(1)
    expect(s.lastBatch).toEqual({ verdict: 'approve', decided: 2, skipped: [] })
    expect(s.selected.size).toBe(0)
    expect(s.note).toBe('')
  })

  it('rejects all pending with one call, and ticks all or none with toggleAll', async () => {
    const { fake, model } = setup([approval('a'), approval('b')])
    await settle()
    model.getState().toggleAll()
    expect(selectedIds(model.getState())).toEqual(['a', 'b'])
    model.getState().toggleAll()
    expect(selectedIds(model.getState())).toEqual([])
    await model.getState().decide('reject', 'all')
    expect(fake.calls.filter((c) => c.name === 'approvals.decide').map((c) => c.input)).toEqual([
      { verdict: 'reject', all: true }
    ])
    expect(model.getState().pending).toBe(0)
  })

  it('drops a ticked request decided elsewhere when the queue changes, and shows decided ones on their tab', async () => {
    const { fake, model, decideElsewhere } = setup([approval('a'), approval('b')])
    await settle()
    model.getState().toggle('a')
    decideElsewhere('a')
    fake.emit('approvals.changed', { pending: 1, ids: ['a'] })
    await settle()
    expect(model.getState().selected.has('a')).toBe(false)
    await model.getState().decide('approve', 'selected')
    expect(fake.names().filter((n) => n === 'approvals.decide')).toEqual([])
    await model.getState().setShow('decided')
    expect(model.getState().approvals?.map((a) => [a.id, a.status])).toEqual([['a', 'approved']])
  })
})
