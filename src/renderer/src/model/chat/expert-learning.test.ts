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
        { id: '1', title: 'foundations of coding', status: 'pending', noteId: null },
        { id: '5', title: 'a', status: 'in_progress', noteId: null },
        { id: '6', title: 'b', status: 'pending', noteId: null }
      ],
      analyst: [{ id: '2', title: 'IFRS 16 short leases', status: 'completed', noteId: null }]
    })
  })

  it('links a completed research task to the note its result was filed as, by the note’s source', () => {
    const learning = learningByExpert(
      [task('t1', 'Research: foundations of business', 'analyst', 'completed'), task('t2', 'Research: x', 'analyst')],
      [
        { id: 'n1', source: 'learning:t1' },
        { id: 'n9', source: '/notes/t2.md' }
      ]
    )
    expect(learning.analyst).toEqual([
      { id: 't1', title: 'foundations of business', status: 'completed', noteId: 'n1' },
      { id: 't2', title: 'x', status: 'pending', noteId: null }
    ])
  })
})
