import { describe, expect, it } from 'vitest'
import { escalationQuestion, parseBoardVerdict } from './board-verdict'

describe('the board’s verdict on an escalated task', () => {
  it('reads retry on a named model, a changed approach with its instruction, and giving up', () => {
    expect(parseBoardVerdict('RETRY_OTHER_MODEL qwen2.5:7b, it is stronger.')).toEqual({
      action: 'retry_other_model',
      model: 'qwen2.5:7b'
    })
    expect(parseBoardVerdict('**Retry other model**: `mlx-community/Qwen2.5-7B-Instruct-4bit`')).toEqual({
      action: 'retry_other_model',
      model: 'mlx-community/Qwen2.5-7B-Instruct-4bit'
    })
    expect(parseBoardVerdict('RETRY_OTHER_MODEL')).toEqual({ action: 'retry_other_model', model: null })
    expect(parseBoardVerdict('CHANGE_APPROACH: List the five biggest tables first, then plan each.')).toEqual({
      action: 'change_approach',
      instruction: 'List the five biggest tables first, then plan each.'
    })
    expect(parseBoardVerdict('GIVE_UP')).toEqual({ action: 'give_up' })
  })

  it('takes anything it cannot read as giving up, so a muddled board ends in review, not in a loop', () => {
    expect(parseBoardVerdict('We should probably think about it more.')).toEqual({ action: 'give_up' })
    expect(parseBoardVerdict('CHANGE_APPROACH: try')).toEqual({ action: 'give_up' })
  })

  it('puts the task, its failed attempts and the models to the board within the question’s limit', () => {
    const question = escalationQuestion({
      title: 'Plan the migration',
      description: 'x'.repeat(10_000),
      attempts: [{ attempt: 1, errorType: 'timeout', message: 'no answer within 120 s' }],
      triedModels: ['llama3.2:3b'],
      otherModels: ['qwen2.5:7b']
    })
    expect(question).toContain('- attempt 1: timeout: no answer within 120 s')
    expect(question).toContain('Models tried: llama3.2:3b. Other models available: qwen2.5:7b.')
    expect(question.length).toBeLessThanOrEqual(4000)
  })
})
