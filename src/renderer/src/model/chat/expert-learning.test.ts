import { describe, expect, it } from 'vitest'
import type { TaskSummary } from '../../../../shared/contract/tasks-contract'
import { learningByExpert } from './expert-learning'

const at = '2026-04-01T09:00:00.000Z'
const task = (
  id: string,
  title: string,
  expert: string | null,
  status: TaskSummary['status'] = 'pending'
): TaskSummary => ({
  id,
  title,
  domain: null,
  priority: 'low',
  assigneeExpert: expert,
  status,
  attemptCount: 0,
  lastError: null,
  errorType: null,
  backend: null,
  model: null,
  nextRetryAfter: null,
  createdAt: at,
  updatedAt: at
})

describe('what each expert is learning', () => {
  it('lists each expert’s newest research tasks, at most three, leaving out cancelled ones and other tasks', () => {
    const learning = learningByExpert([
      task('1', 'Research: foundations of coding', 'coder'),
      task('2', 'Research: IFRS 16 short leases', 'analyst', 'completed'),
      task('3', 'Research: old topic', 'analyst', 'cancelled'),
      task('4', 'Summarise the report', 'analyst'),
      task('5', 'Research: a', 'coder', 'in_progress'),
      task('6', 'Research: b', 'coder'),
      task('7', 'Research: c', 'coder'),
      task('8', 'Research: unassigned', null)
    ])
    expect(learning).toEqual({
      coder: [
        { id: '1', title: 'foundations of coding', status: 'pending' },
        { id: '5', title: 'a', status: 'in_progress' },
        { id: '6', title: 'b', status: 'pending' }
      ],
      analyst: [{ id: '2', title: 'IFRS 16 short leases', status: 'completed' }]
    })
  })
})
