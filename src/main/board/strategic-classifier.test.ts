import { describe, expect, it } from 'vitest'
import { classifyStrategic, ruleVerdict } from './strategic-classifier'
import { scriptedChatModel } from './testing/scripted-chat-model'
import { capturedLog } from './testing/test-core'

describe('strategic classifier', () => {
  it('settles clear cases by rules, in English and Russian', () => {
    expect(ruleVerdict('What should our strategy be for next year?')).toBe('strategic')
    expect(ruleVerdict('Should we invest in a second GPU server or rent one?')).toBe('strategic')
    expect(ruleVerdict('Стоит ли нам выходить на рынок Казахстана?')).toBe('strategic')
    expect(ruleVerdict('Какая долгосрочная стратегия у компании?')).toBe('strategic')
    expect(ruleVerdict('Write a Python function that reverses a list')).toBe('routine')
    expect(ruleVerdict('Что такое замыкание в JavaScript?')).toBe('routine')
    expect(ruleVerdict('What is our marketing budget?')).toBe('maybe')
  })

  it('asks the model only when the rules cannot settle it', async () => {
    const model = scriptedChatModel(() => ({ tokens: ['STRATEGIC'] }))
    const deps = { model, signal: new AbortController().signal, correlationId: 'c1', log: capturedLog().log }
    expect(await classifyStrategic('Write a sorting function', deps)).toEqual({ strategic: false, by: 'rules' })
    expect(model.requests).toHaveLength(0)
    const verdict = await classifyStrategic('Should we change our pricing?', deps)
    expect(verdict).toMatchObject({ strategic: true, by: 'model' })
    expect(model.requests).toHaveLength(1)
    expect(model.requests[0]?.correlationId).toBe('c1')
  })

  it('treats a failing model check as routine and logs why', async () => {
    const model = scriptedChatModel(() => ({ tokens: [], failWith: new Error('connection refused') }))
    const { log, lines } = capturedLog()
    const verdict = await classifyStrategic('What is our marketing budget?', {
      model,
      signal: new AbortController().signal,
      correlationId: 'c',
      log
    })
    expect(verdict).toEqual({ strategic: false, by: 'rules' })
    expect(lines().map((l) => l.error)).toEqual(['connection refused'])
  })
})
