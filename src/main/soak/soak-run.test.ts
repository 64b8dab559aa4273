import { describe, expect, it } from 'vitest'
import type { TaskEvent, TaskEventKind } from '../../shared/contract/tasks-contract'
import { attemptsIn } from './soak-run'

const trail = (...kinds: TaskEventKind[]): TaskEvent[] =>
  kinds.map((kind, i) => ({
    seq: i + 1,
    taskId: 't',
    kind,
    status: 'pending',
    attempt: 0,
    message: null,
    errorType: null,
    at: '2026-12-02T10:00:00.000Z'
  }))

describe('attempts in a trail', () => {
  it('counts each claim, and each completion that folded its claim into itself, once', () => {
    expect(attemptsIn(trail('created', 'completed'))).toBe(1)
    expect(attemptsIn(trail('created', 'claimed', 'progress', 'completed'))).toBe(1)
    expect(attemptsIn(trail('created', 'claimed', 'failed', 'claimed', 'waiting', 'completed'))).toBe(3)
    expect(attemptsIn(trail('created', 'claimed', 'failed', 'deferred', 'requeued', 'completed'))).toBe(2)
    expect(attemptsIn(trail('created', 'cancelled'))).toBe(0)
  })
})
