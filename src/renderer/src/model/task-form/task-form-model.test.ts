import { describe, expect, it } from 'vitest'
import type { Expert } from '../../../../shared/contract/chat-contract'
import { TaskCreateInputSchema } from '../../../../shared/contract/tasks-contract'
import { validateForm } from '../form-validation'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { assigneeLabel, assignmentOf, choiceOf, expertOptions, taskFormModel } from './task-form-model'

const expert = (id: string, name: string, lead = false): Expert => ({
  id,
  name,
  role: lead ? 'CEO' : 'Engineer',
  domains: lead ? ['general'] : ['coding'],
  systemPrompt: 'You are a careful engineer who answers precisely.',
  modelCategory: 'coding',
  lead,
  edited: false
})
const team = [expert('victoria', 'Victoria', true), expert('igor', 'Igor')]

describe('task form model', () => {
  it('reads the team when it opens and shows or hides the form', async () => {
    const fake = fakeClient({ 'chat.experts.list': () => ({ ok: true, value: { experts: team } }) })
    const model = createViewModel(taskFormModel, fake.client, { open: false })
    model.connect()
    await settle()
    expect(model.getState().experts?.map((e) => e.id)).toEqual(['victoria', 'igor'])
    model.getState().show()
    expect(model.getState().open).toBe(true)
    model.getState().hide()
    expect(model.getState().open).toBe(false)
  })

  it('offers the lead agent’s pick first, the team, then nobody, and turns a choice into the call’s fields', () => {
    expect(expertOptions(team).map((o) => o.value)).toEqual(['auto', 'expert:igor', 'expert:victoria', 'none'])
    expect(expertOptions(team)[0]?.label).toBe('Auto: Victoria picks by domain')
    expect(assignmentOf(choiceOf('auto'))).toEqual({ autoAssign: true })
    expect(assignmentOf(choiceOf('expert:igor'))).toEqual({ assigneeExpert: 'igor' })
    expect(assignmentOf(choiceOf('none'))).toEqual({})
  })

  it('checks the form with the contract’s own schema, naming the field by its label', () => {
    const labels = { title: 'Title', description: 'Description' }
    expect(
      validateForm(
        TaskCreateInputSchema,
        { title: 'ab', description: 'long enough text', ...assignmentOf({ kind: 'auto' }) },
        labels
      )
    ).toEqual({ title: 'A title needs at least 3 characters, e.g. "Summarise the Q3 report".' })
  })
})

describe('assignee label', () => {
  it('names the expert and their role, the lead agent as such, and keeps an unknown id', () => {
    expect(assigneeLabel('igor', team)).toBe('Igor, Engineer')
    expect(assigneeLabel('victoria', team)).toBe('Victoria, the lead agent')
    expect(assigneeLabel('sre', team)).toBe('sre')
    expect(assigneeLabel(null, team)).toBe('unassigned')
  })
})
