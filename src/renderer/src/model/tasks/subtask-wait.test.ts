import { describe, expect, it } from 'vitest'
import type { Subtask, TaskDetail, TaskEvent } from '../../../../shared/contract/tasks-contract'
import { isSubtaskWait, lastErrorIsSubtaskWait, subtaskProgress } from './subtask-wait'

const AT = '2026-12-01T10:00:00.000Z'
const WAIT =
  'Waiting for its 3 subtasks: “Market size”, “Competitors”, “Pricing”. It completes with a synthesis of their results.'

const event = (seq: number, over: Partial<TaskEvent>): TaskEvent => ({
  seq,
  taskId: 'parent',
  kind: 'created',
  status: 'pending',
  attempt: 0,
  message: null,
  errorType: null,
  at: AT,
  ...over
})

function detail(
  statuses: Subtask['status'][],
  over: { status?: TaskDetail['task']['status']; events?: TaskEvent[] } = {}
): TaskDetail {
  return {
    task: {
      id: 'parent',
      title: 'Plan the launch',
      domain: null,
      priority: 'high',
      assigneeExpert: null,
      status: over.status ?? 'pending',
      attemptCount: 0,
      lastError: WAIT,
      errorType: 'other',
      backend: null,
      model: null,
      nextRetryAfter: null,
      createdAt: AT,
      updatedAt: AT,
      description: 'A launch plan.',
      parentTaskId: null,
      preferredBackend: null,
      preferredModel: null,
      leaseOwner: null,
      heartbeatAt: null,
      result: null,
      metadata: {},
      batchGroup: null,
      completedAt: null,
      latencyMs: null
    },
    events: over.events ?? [event(1, {}), event(2, { kind: 'waiting', message: WAIT, errorType: 'other' })],
    subtasks: statuses.map((status, i) => ({ id: `sub-${i}`, title: `Part ${i + 1}`, status }))
  }
}

describe('a split task waiting for its subtasks', () => {
  it('says how many of its subtasks it still waits for, and which are in manual review', () => {
    const progress = subtaskProgress(detail(['completed', 'in_progress', 'pending', 'deferred_to_human', 'cancelled']))
    expect(progress).toEqual({
      label: 'Waiting for 3 of 5 subtasks',
      waiting: true,
      open: 3,
      total: 5,
      inReview: [{ id: 'sub-3', title: 'Part 4', status: 'deferred_to_human' }]
    })
    expect(subtaskProgress(detail(['completed', 'cancelled'], { status: 'in_progress' }))).toMatchObject({
      label: '2 subtasks, all ended',
      waiting: false
    })
    expect(subtaskProgress(detail([]))).toBeNull()
  })

  it('treats its waits on them as its state, not as errors, while a server outage it waited on stays an error', () => {
    const split = detail(['pending', 'pending', 'completed'])
    expect(lastErrorIsSubtaskWait(split)).toBe(true)
    expect(isSubtaskWait(split, { kind: 'waiting', errorType: 'other' })).toBe(true)
    expect(isSubtaskWait(split, { kind: 'waiting', errorType: 'connection_error' })).toBe(false)
    expect(isSubtaskWait(split, { kind: 'failed', errorType: 'other' })).toBe(false)
    // The same wait on a task that has no subtasks is not one.
    expect(lastErrorIsSubtaskWait(detail([]))).toBe(false)
    const outage = detail(['pending'], {
      events: [
        event(1, { kind: 'waiting', message: WAIT, errorType: 'other' }),
        event(2, { kind: 'waiting', message: 'ollama-local refused the connection', errorType: 'connection_error' })
      ]
    })
    expect(lastErrorIsSubtaskWait(outage)).toBe(false)
  })
})
