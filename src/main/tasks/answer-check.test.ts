import { describe, expect, it } from 'vitest'
import { checkAnswer } from './answer-check'

const prompt = {
  title: 'Summarise the report',
  description: 'Summarise the quarterly report in five bullet points for the board.'
}

describe('answer check', () => {
  it.each([
    ['', 'empty_or_short_response'],
    ['   \n ', 'empty_or_short_response'],
    ['ok', 'empty_or_short_response'],
    ['Error: model unavailable', 'validation_failed'],
    ['{"error":"model \'llama3\' not found"}', 'validation_failed'],
    ['The service is unavailable right now, please retry.', 'validation_failed'],
    ['Summarise the quarterly report in five bullet points for the board.', 'validation_failed'],
    ['  summarise the QUARTERLY report in five bullet points for the board. ', 'validation_failed']
  ])('refuses %j as %s', (answer, type) => {
    expect(checkAnswer(answer, prompt, 20)).toMatchObject({ ok: false, type })
  })

  it('accepts a real answer, including a long one that mentions errors', () => {
    expect(
      checkAnswer('- Revenue rose 12%\n- Costs fell\n- Margin improved\n- Cash is strong\n- Outlook steady', prompt, 20)
    ).toEqual({ ok: true })
    const essay = `The report notes an internal server error in the billing system last quarter. ${'Detail. '.repeat(80)}`
    expect(checkAnswer(essay, prompt, 20)).toEqual({ ok: true })
  })
})
