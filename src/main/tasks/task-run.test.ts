import { describe, expect, it } from 'vitest'
import { forProcessing } from './task-run'
import type { ClaimableRow } from './task-row'

const row = (metadata: string): ClaimableRow => ({
  id: 'task-1',
  title: 'Summarise',
  description: 'Three bullet points.',
  domain: 'finance',
  priority: 'normal',
  priority_rank: 1,
  assignee_expert: null,
  preferred_backend: null,
  preferred_model: null,
  attempt_count: 2,
  interrupted_count: 0,
  metadata,
  last_error: null,
  error_type: null,
  created_at: Date.parse('2026-03-01T00:00:00Z'),
  status: 'pending',
  updated_at: Date.parse('2026-03-01T00:00:00Z')
})

describe('the task as a processor sees it', () => {
  it('takes the correlation id, project and workflow run from the metadata', () => {
    const task = forProcessing(
      row(JSON.stringify({ correlationId: 'chat-9', project: '  Atlas ', workflowRunId: 'run-4' }))
    )
    expect(task).toMatchObject({ correlationId: 'chat-9', project: 'Atlas', workflowRunId: 'run-4', domain: 'finance' })
  })

  it('without metadata, logs under the task and its attempt, with no project or workflow run', () => {
    expect(forProcessing(row('{}'))).toMatchObject({
      correlationId: 'task-task-1-3',
      project: null,
      workflowRunId: null
    })
  })

  it('keeps a correlation id that is not a string as its JSON text, and ignores a blank project or a workflow run that is not a string', () => {
    const task = forProcessing(row(JSON.stringify({ correlationId: 42, project: '   ', workflowRunId: 7 })))
    expect(task).toMatchObject({ correlationId: '42', project: null, workflowRunId: null })
  })

  it('treats metadata that is not a JSON object as none', () => {
    for (const text of ['not json', '[1,2]', 'null'])
      expect(forProcessing(row(text))).toMatchObject({ correlationId: 'task-task-1-3', project: null })
  })
})
