import { describe, expect, it } from 'vitest'
import type { ChecklistRun } from '../../../../shared/contract/checklist-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { checklistModel } from './checklist-model'

const run = (id: number, statuses: ('pass' | 'warn' | 'fail')[]): ChecklistRun => ({
  id,
  trigger: 'manual',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  verdict: statuses.includes('fail') ? 'unhealthy' : 'healthy',
  results: statuses.map((status, i) => ({
    id: `c${i}`,
    title: 't',
    area: 'app',
    severity: 'hard',
    status,
    evidence: '',
    measures: '',
    remedy: '',
    fix: null,
    measuredAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1
  })),
  playbook: [],
  availableFixes: []
})

describe('checklist model', () => {
  it('reads the latest run and the history, and takes a pushed run as the newest line without reading again', async () => {
    const fake = fakeClient({
      'checklist.latest': () => ({ ok: true, value: run(1, ['pass']) }),
      'checklist.history': () => ({
        ok: true,
        value: [
          {
            id: 1,
            trigger: 'start',
            startedAt: '2026-01-01T00:00:00.000Z',
            verdict: 'healthy',
            counts: { pass: 1, warn: 0, fail: 0, error: 0 }
          }
        ]
      })
    })
    const model = createViewModel(checklistModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    expect(model.getState()).toMatchObject({ loaded: true, run: { id: 1 } })
    const reads = fake.calls.length
    fake.emit('checklist.completed', run(2, ['pass', 'fail', 'warn']))
    expect(model.getState().run?.id).toBe(2)
    expect(model.getState().history.map((h) => [h.id, h.counts])).toEqual([
      [2, { pass: 1, warn: 1, fail: 1, error: 0 }],
      [1, { pass: 1, warn: 0, fail: 0, error: 0 }]
    ])
    // An older run pushed late does not replace the newer one.
    fake.emit('checklist.completed', run(1, ['pass']))
    expect(model.getState().run?.id).toBe(2)
    expect(fake.calls.length).toBe(reads)
    dispose()
    expect(fake.listening()).toBe(0)
  })
})
