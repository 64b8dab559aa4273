import { describe, expect, it } from 'vitest'
import type { RunDetail, RunSummary } from '../../../../shared/contract/workflows-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { upsertRun, workflowsModel } from './workflows-model'

const run = (id: string, patch: Partial<RunSummary> = {}): RunSummary => ({
  id,
  workflowId: 'code-review',
  workflowTitle: 'Code → knowledge → review',
  title: `Run ${id}`,
  status: 'running',
  currentStep: 'coder',
  round: 1,
  maxRounds: 3,
  tokensUsed: 0,
  tokenBudget: 80000,
  source: 'form',
  error: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...patch
})
const detail = (summary: RunSummary): RunDetail => ({
  run: summary,
  input: 'x',
  steps: [],
  decisions: [],
  filed: [],
  apply: null
})

describe('workflows model', () => {
  it('reads definitions and runs, opens the run the URL names, and re-reads it when it changes', async () => {
    let current = run('a')
    const fake = fakeClient({
      'workflows.list': () => ({ ok: true, value: { workflows: [], problems: [], userFolder: '/data/workflows' } }),
      'workflows.runs.list': () => ({ ok: true, value: { runs: [run('a')], nextCursor: null } }),
      'workflows.runs.get': () => ({ ok: true, value: detail(current) })
    })
    const model = createViewModel(workflowsModel, fake.client, 'a')
    const dispose = model.connect()
    await settle()
    expect(model.getState()).toMatchObject({ userFolder: '/data/workflows', selected: { run: { id: 'a' } } })
    current = run('a', { status: 'completed', currentStep: 'reviewer' })
    fake.emit('workflows.changed', current)
    await settle()
    expect(model.getState().runs?.[0]?.status).toBe('completed')
    expect(model.getState().selected?.run.status).toBe('completed')
    // A run that is not open changes the list only.
    const reads = fake.names().filter((n) => n === 'workflows.runs.get').length
    fake.emit('workflows.changed', run('b', { createdAt: '2026-01-02T00:00:00.000Z' }))
    await settle()
    expect(model.getState().runs?.map((r) => r.id)).toEqual(['b', 'a'])
    expect(fake.names().filter((n) => n === 'workflows.runs.get').length).toBe(reads)
    dispose()
    expect(fake.listening()).toBe(0)
  })

  it('starts a run from a chat message as a chat run, and shows a refusal instead', async () => {
    const fake = fakeClient({
      'workflows.list': () => ({ ok: true, value: { workflows: [], problems: [], userFolder: '/w' } }),
      'workflows.runs.list': () => ({ ok: true, value: { runs: [], nextCursor: null } }),
      'workflows.run': (input) =>
        input.workflowId === 'nope'
          ? { ok: false, error: { code: 'not_found', message: 'There is no workflow "nope".' } }
          : { ok: true, value: run('c', { source: input.source ?? 'form' }) },
      'workflows.runs.get': ({ id }) => ({ ok: true, value: detail(run(id, { source: 'chat' })) })
    })
    const model = createViewModel(workflowsModel, fake.client, null)
    model.connect()
    await settle()
    expect(
      await model.getState().start({ workflowId: 'code-review', input: 'Write a parser.', messageId: 'm1' })
    ).toBeNull()
    expect(fake.calls.find((c) => c.name === 'workflows.run')?.input).toEqual({
      workflowId: 'code-review',
      input: 'Write a parser.',
      source: 'chat',
      messageId: 'm1'
    })
    expect(model.getState().selected?.run.id).toBe('c')
    const refused = await model.getState().start({ workflowId: 'nope', input: 'Write a parser.' })
    expect(refused?.message).toBe('There is no workflow "nope".')
  })

  it('keeps runs newest first when one changes', () => {
    const runs = [run('b', { createdAt: '2026-01-02T00:00:00.000Z' }), run('a')]
    expect(upsertRun(runs, run('a', { status: 'failed' })).map((r) => `${r.id}:${r.status}`)).toEqual([
      'b:running',
      'a:failed'
    ])
  })

  it("approves the open run's apply through the approvals queue, then reads the run again", async () => {
    let status: 'pending' | 'applied' = 'pending'
    const apply = () => ({
      approvalId: 'apr_1',
      folder: '/p',
      step: 'coder',
      files: ['src/add.js'],
      status,
      message: null,
      requestedAt: '2026-01-01T00:00:00.000Z',
      decidedAt: null
    })
    const fake = fakeClient({
      'workflows.list': () => ({ ok: true, value: { workflows: [], problems: [], userFolder: '/w' } }),
      'workflows.runs.list': () => ({ ok: true, value: { runs: [], nextCursor: null } }),
      'workflows.runs.get': ({ id }) => ({ ok: true, value: { ...detail(run(id)), apply: apply() } }),
      'approvals.decide': () => {
        status = 'applied'
        return { ok: true, value: { decided: [], skipped: [], pending: 0 } }
      }
    })
    const model = createViewModel(workflowsModel, fake.client, 'a')
    model.connect()
    await settle()
    expect(model.getState().selected?.apply?.status).toBe('pending')
    await model.getState().decideApply('a', 'apr_1', 'approve')
    expect(fake.calls.find((c) => c.name === 'approvals.decide')?.input).toEqual({ ids: ['apr_1'], verdict: 'approve' })
    expect(model.getState().selected?.apply?.status).toBe('applied')
  })
})
