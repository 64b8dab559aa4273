import { describe, expect, it } from 'vitest'
import type { TaskVerification } from '../../../../shared/contract/validation-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { taskVerificationModel } from './task-verification-model'

const empty: TaskVerification = { verdicts: [], testRuns: [], escalations: [] }
const escalated: TaskVerification = {
  ...empty,
  escalations: [
    {
      round: 1,
      state: 'give_up',
      failedModel: 'llama3.2:3b',
      nextModel: null,
      instruction: null,
      boardView: 'GIVE_UP — a person should decide.',
      decisionId: 'dec-1',
      createdAt: '2026-12-01T10:00:00.000Z',
      decidedAt: '2026-12-01T10:01:00.000Z'
    }
  ]
}

describe('task verification model', () => {
  it('reads the task’s verification, and again when that task changes or the board decides on it, not for others', async () => {
    let answer = empty
    const fake = fakeClient({ 'validation.task': () => ({ ok: true, value: answer }) })
    const model = createViewModel(taskVerificationModel, fake.client, 'task-1')
    model.connect()
    await settle()
    expect(model.getState().verification).toEqual(empty)
    answer = escalated
    fake.emit('tasks.changed', { tasks: [], counts: {} as never })
    await settle()
    expect(model.getState().verification).toEqual(empty)
    fake.emit('board.decided', {
      id: 'dec-1',
      question: 'q',
      decision: 'GIVE_UP',
      outcome: 'rejected',
      tally: { for: 0, against: 3, abstain: 0 },
      source: 'task',
      sessionId: null,
      messageId: null,
      taskId: 'task-1',
      createdAt: '2026-12-01T10:01:00.000Z'
    })
    await settle()
    expect(model.getState().verification).toEqual(escalated)
    expect(fake.calls.filter((c) => c.name === 'validation.task').map((c) => c.input)).toEqual([
      { id: 'task-1' },
      { id: 'task-1' }
    ])
  })
})
