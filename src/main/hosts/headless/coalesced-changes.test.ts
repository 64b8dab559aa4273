import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { TaskStatusCounts, TaskSummary, TasksChanged } from '../../../shared/contract/tasks-contract'
import type { EventFrame } from '../../../shared/contract/wire'
import { CHANGES_EVERY_MS, createChangeCoalescer } from './coalesced-changes'

const counts = (completed: number): TaskStatusCounts => ({
  pending: 10 - completed,
  in_progress: 0,
  completed,
  failed: 0,
  deferred_to_human: 0,
  cancelled: 0
})

const task = (id: string, status: TaskSummary['status']): TaskSummary => ({
  id,
  title: `Task ${id}`,
  domain: null,
  priority: 'normal',
  assigneeExpert: null,
  status,
  attemptCount: status === 'pending' ? 0 : 1,
  lastError: null,
  errorType: null,
  backend: null,
  model: null,
  nextRetryAfter: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z'
})

const changed = (tasks: TaskSummary[], completed: number): EventFrame => ({
  type: 'event',
  name: 'tasks.changed',
  payload: { tasks, counts: counts(completed) } satisfies TasksChanged
})

describe('coalesced tasks.changed frames', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('merges the changes of one interval into one frame: each task once, as it is last, with the last counts', () => {
    const sent: EventFrame[] = []
    const coalescer = createChangeCoalescer((f) => sent.push(f))
    coalescer.push(changed([task('a', 'in_progress'), task('b', 'in_progress')], 0))
    coalescer.push(changed([task('a', 'completed')], 1))
    coalescer.push(changed([task('c', 'pending')], 1))
    expect(sent).toEqual([])
    vi.advanceTimersByTime(CHANGES_EVERY_MS)
    expect(sent).toHaveLength(1)
    const payload = sent[0]?.payload as TasksChanged
    expect(payload.tasks.map((t) => [t.id, t.status])).toEqual([
      ['b', 'in_progress'],
      ['a', 'completed'],
      ['c', 'pending']
    ])
    expect(payload.counts.completed).toBe(1)
    vi.advanceTimersByTime(CHANGES_EVERY_MS * 10)
    expect(sent).toHaveLength(1)
  })

  it('sends what is merged before any other frame, so nothing overtakes a change', () => {
    const sent: EventFrame[] = []
    const coalescer = createChangeCoalescer((f) => sent.push(f))
    coalescer.push(changed([task('a', 'completed')], 1))
    coalescer.push({ type: 'event', name: 'tasks.engineChanged', payload: {} })
    expect(sent.map((f) => f.name)).toEqual(['tasks.changed', 'tasks.engineChanged'])
    coalescer.push(changed([task('b', 'completed')], 2))
    coalescer.flush()
    expect(sent.map((f) => f.name)).toEqual(['tasks.changed', 'tasks.engineChanged', 'tasks.changed'])
    vi.advanceTimersByTime(CHANGES_EVERY_MS)
    expect(sent).toHaveLength(3)
  })

  it('drops what is merged when nobody listens', () => {
    const sent: EventFrame[] = []
    const coalescer = createChangeCoalescer((f) => sent.push(f))
    coalescer.push(changed([task('a', 'completed')], 1))
    coalescer.drop()
    vi.advanceTimersByTime(CHANGES_EVERY_MS)
    coalescer.flush()
    expect(sent).toEqual([])
  })
})
