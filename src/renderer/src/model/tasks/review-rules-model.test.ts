import { describe, expect, it } from 'vitest'
import type { PlaybookRuleView } from '../../../../shared/contract/checklist-contract'
import type { KosClient } from '../../../../shared/contract/client'
import type { CallName } from '../../../../shared/contract/contract'
import { rpcError, type CallResult } from '../../../../shared/contract/rpc-error'
import { createViewModel } from '../view-model'
import type { TaskSummary } from '../../../../shared/contract/tasks-contract'
import { reviewRulesModel, selectReturnWith } from './review-rules-model'

type Reply = (input: unknown) => CallResult<unknown>

function fakeClient(replies: Partial<Record<CallName, Reply>>) {
  const calls: { name: CallName; input: unknown }[] = []
  const client = {
    call: async (name: CallName, input: unknown) => {
      calls.push({ name, input })
      return replies[name]?.(input) ?? { ok: false, error: rpcError('unavailable', `no reply scripted for ${name}`) }
    },
    on: () => () => undefined,
    onStatus: (listener: (status: 'connected') => void) => {
      listener('connected')
      return () => undefined
    }
  } as unknown as KosClient
  return { client, calls }
}

const runnerRule: PlaybookRuleView = {
  ruleId: 'ollama-runner-terminated',
  title: 'Ollama’s model runner terminated',
  cause: 'The runner died.',
  remedy: 'Restart Ollama.',
  fix: 'restart-ollama',
  byHand: null
}
const rejectedRule: PlaybookRuleView = {
  ruleId: 'answers-rejected',
  title: 'Answers rejected',
  cause: 'Short answers.',
  remedy: 'Make the task clearer.',
  fix: null,
  byHand: null
}
const rules: Reply = () => ({
  ok: true,
  value: [
    { errorType: 'runner_terminated', rule: runnerRule },
    { errorType: 'validation_failed', rule: rejectedRule }
  ]
})

describe('review rules model', () => {
  it('runs the rule’s fix, then returns exactly the affected tasks, and says what both did', async () => {
    const { client, calls } = fakeClient({
      'checklist.errorRules': rules,
      'checklist.fix': () => ({ ok: true, value: { message: 'Ollama restarted: running (pid 42).', run: {} } }),
      'tasks.requeue': (input) => ({ ok: true, value: { requeued: (input as { ids: string[] }).ids } })
    })
    const store = createViewModel(reviewRulesModel, client, undefined)
    store.connect()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(store.getState().rules?.runner_terminated).toEqual(runnerRule)
    await store.getState().fixAndReturn('runner_terminated', ['t1', 't2'])
    expect(calls.slice(1).map((c) => [c.name, c.input])).toEqual([
      ['checklist.fix', { fix: 'restart-ollama' }],
      ['tasks.requeue', { ids: ['t1', 't2'] }]
    ])
    expect(store.getState()).toMatchObject({
      fixing: null,
      outcome: {
        errorType: 'runner_terminated',
        ok: true,
        message: 'Ollama restarted: running (pid 42). 2 tasks returned to autoprocessing.'
      }
    })
  })

  it('returns nothing when the fix fails, and says why', async () => {
    const { client, calls } = fakeClient({
      'checklist.errorRules': rules,
      'checklist.fix': () => ({
        ok: false,
        error: rpcError('unavailable', 'Ollama did not start (not_installed): ollama is not on PATH')
      })
    })
    const store = createViewModel(reviewRulesModel, client, undefined)
    store.connect()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await store.getState().fixAndReturn('runner_terminated', ['t1'])
    expect(calls.map((c) => c.name)).not.toContain('tasks.requeue')
    expect(store.getState().outcome).toEqual({
      errorType: 'runner_terminated',
      ok: false,
      message:
        'The fix did not work, so no task was returned: Ollama did not start (not_installed): ollama is not on PATH'
    })
  })

  it('for a rule without a one-click fix, only returns the tasks', async () => {
    const { client, calls } = fakeClient({
      'checklist.errorRules': rules,
      'tasks.requeue': () => ({ ok: true, value: { requeued: ['t9'] } })
    })
    const store = createViewModel(reviewRulesModel, client, undefined)
    store.connect()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await store.getState().fixAndReturn('validation_failed', ['t9'])
    expect(calls.map((c) => c.name)).toEqual(['checklist.errorRules', 'tasks.requeue'])
    expect(store.getState().outcome?.message).toBe('1 task returned to autoprocessing.')
  })

  it('keeps the core’s suggestion for each task in review, and asks nothing for an empty review', async () => {
    const suggestion = {
      taskId: 't1',
      expert: { id: 'coder', name: 'Coder', why: 'its domain is coding' },
      model: { node: 'studio', nodeLabel: 'Studio', model: 'qwen2.5-coder:7b', why: 'preferred for coding' },
      noModel: null
    }
    const { client, calls } = fakeClient({
      'checklist.errorRules': rules,
      'review.suggest': () => ({ ok: true, value: [suggestion] })
    })
    const store = createViewModel(reviewRulesModel, client, undefined)
    store.connect()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await store.getState().suggest(['t1'])
    expect(calls.at(-1)).toEqual({ name: 'review.suggest', input: { ids: ['t1'] } })
    expect(store.getState().suggestions).toEqual({ t1: suggestion })
    await store.getState().suggest([])
    expect(calls).toHaveLength(2)
    expect(store.getState().suggestions).toEqual({})
  })

  it('offers to return a task with the suggested model and an expert not yet assigned, sends exactly that, and keeps a refusal beside the task', async () => {
    const summary = (id: string, assigneeExpert: string | null): TaskSummary => ({
      id,
      title: 'Write a deploy check',
      domain: 'coding',
      priority: 'normal',
      assigneeExpert,
      status: 'deferred_to_human',
      attemptCount: 1,
      lastError: 'HTTP 500',
      errorType: 'runner_terminated',
      backend: 'local',
      model: 'llama3.2:3b',
      nextRetryAfter: null,
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z'
    })
    const expert = { id: 'coder', name: 'Coder', why: 'its domain is coding' }
    const model = { node: 'studio', nodeLabel: 'Studio', model: 'qwen2.5-coder:7b', why: 'preferred for coding' }
    const suggestions = [
      { taskId: 't1', expert, model, noModel: null },
      { taskId: 't2', expert, model: null, noModel: 'No other chat model answers now.' },
      { taskId: 't3', expert, model: null, noModel: 'No other chat model answers now.' }
    ]
    const choices = {
      models: [{ node: 'local', nodeLabel: 'This Mac', model: 'mistral:7b', up: true }],
      experts: [{ id: 'lead', name: 'Lead', role: 'Lead agent' }]
    }
    let refuse = false
    const { client, calls } = fakeClient({
      'checklist.errorRules': rules,
      'review.suggest': () => ({ ok: true, value: suggestions }),
      'review.choices': () => ({ ok: true, value: choices }),
      'review.return': (input) =>
        refuse
          ? { ok: false, error: rpcError('invalid_input', 'No node has a chat model "qwen2.5-coder:7b".') }
          : { ok: true, value: { ...summary((input as { id: string }).id, 'coder'), status: 'pending' } }
    })
    const store = createViewModel(reviewRulesModel, client, undefined)
    store.connect()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await store.getState().suggest(['t1', 't2', 't3'])
    const [t1, t2, t3] = [summary('t1', null), summary('t2', null), summary('t3', 'coder')]
    expect(selectReturnWith(store.getState(), t1)).toEqual({
      model: { node: 'studio', name: 'qwen2.5-coder:7b' },
      expert: { id: 'coder', name: 'Coder' },
      label: 'Return with qwen2.5-coder:7b / expert Coder'
    })
    expect(selectReturnWith(store.getState(), t2)?.label).toBe('Return with expert Coder')
    // Nothing to change: no other model, and the suggested expert already has it.
    expect(selectReturnWith(store.getState(), t3)).toBeNull()

    await store.getState().returnWithSuggestion(t1)
    expect(calls.at(-1)).toEqual({
      name: 'review.return',
      input: { id: 't1', model: 'qwen2.5-coder:7b', node: 'studio', expert: 'coder' }
    })
    await store.getState().returnWithSuggestion(t2)
    expect(calls.at(-1)).toEqual({ name: 'review.return', input: { id: 't2', expert: 'coder' } })
    const before = calls.length
    await store.getState().returnWithSuggestion(t3)
    expect(calls).toHaveLength(before)
    expect(store.getState()).toMatchObject({ returning: null, returnErrors: {} })

    // Another model and expert than suggested, as chosen from the choices.
    await store.getState().loadChoices()
    expect(store.getState().choices).toEqual(choices)
    await store.getState().returnWith(t3, { model: { node: 'local', name: 'mistral:7b' }, expert: { id: 'lead' } })
    expect(calls.at(-1)).toEqual({
      name: 'review.return',
      input: { id: 't3', model: 'mistral:7b', node: 'local', expert: 'lead' }
    })
    const chosen = calls.length
    await store.getState().returnWith(t3, {})
    expect(calls).toHaveLength(chosen)

    refuse = true
    await store.getState().returnWithSuggestion(t1)
    expect(store.getState().returnErrors).toEqual({ t1: 'No node has a chat model "qwen2.5-coder:7b".' })
    refuse = false
    await store.getState().returnWithSuggestion(t1)
    expect(store.getState().returnErrors).toEqual({})
  })
})
