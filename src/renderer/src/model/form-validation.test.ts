import { describe, expect, it } from 'vitest'
import { TaskCreateInputSchema } from '../../../shared/contract/tasks-contract'
import { validateForm } from './form-validation'

const LABELS = { title: 'Title', description: 'Description', domain: 'Domain' } as const

describe('form validation with the contract schema', () => {
  it('accepts what the core accepts', () => {
    expect(
      validateForm(
        TaskCreateInputSchema,
        { title: 'Summarise Q3', description: 'Five bullet points for the board.' },
        LABELS
      )
    ).toBeNull()
  })

  it('keeps the schema’s own words where it has them, one message per field', () => {
    expect(validateForm(TaskCreateInputSchema, { title: ' ab ', description: 'short' }, LABELS)).toEqual({
      title: 'A title needs at least 3 characters, e.g. "Summarise the Q3 report".',
      description: 'A description needs at least 10 characters: say what the answer should contain.'
    })
  })

  it('says a limit in plain words, with the label and the length', () => {
    const errors = validateForm(
      TaskCreateInputSchema,
      { title: 'x'.repeat(301), description: 'long enough text', domain: 'd'.repeat(201) },
      LABELS
    )
    expect(errors).toEqual({
      title: 'Title may have at most 300 characters; this one has 301.',
      domain: 'Domain may have at most 200 characters; this one has 201.'
    })
  })

  it('says a missing field is required', () => {
    expect(validateForm(TaskCreateInputSchema, { description: 'long enough text' }, LABELS)).toEqual({
      title: 'Title is required.'
    })
  })
})
