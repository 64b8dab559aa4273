import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Expert } from '../../shared/contract/chat-contract'
import { bestExpertFor, classifyRequest, detectDomain } from './request-classifier'

const expert = (id: string, domains: string[], category: string, lead = false): Expert => ({
  id,
  name: id,
  role: id,
  domains,
  systemPrompt: 'p',
  modelCategory: category,
  lead,
  edited: false
})

describe('request classifier', () => {
  it('answers plain questions in one step', () => {
    expect(classifyRequest('What is a closure in JavaScript?', 'normal')).toMatchObject({
      kind: 'simple',
      domain: 'coding'
    })
    expect(classifyRequest('Который час в Токио?', 'normal').kind).toBe('simple')
  })

  it('sends requests to produce something to an expert, in English and Russian', () => {
    expect(classifyRequest('Write a Python function that parses ISO dates', 'normal')).toMatchObject({
      kind: 'execution',
      domain: 'coding'
    })
    expect(classifyRequest('Напиши письмо клиенту о задержке поставки', 'normal')).toMatchObject({
      kind: 'execution',
      domain: 'writing'
    })
    expect(classifyRequest('Сделай анализ продаж по данным за квартал', 'normal')).toMatchObject({
      kind: 'execution',
      domain: 'analysis'
    })
    expect(classifyRequest('Реализуй функцию сортировки', 'normal')).toMatchObject({
      kind: 'execution',
      domain: 'coding'
    })
  })

  it('decomposes multi-step and high-priority requests', () => {
    expect(classifyRequest('Build a full app for invoices from scratch', 'normal').kind).toBe('complex')
    expect(
      classifyRequest('Write the report:\n1. collect data\n2. analyse it\n3. draft the summary', 'normal').kind
    ).toBe('complex')
    expect(classifyRequest('Write a haiku', 'high').kind).toBe('complex')
    expect(classifyRequest('What is 2+2?', 'high').kind).toBe('simple')
  })

  it('always yields a known kind and domain, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('normal' as const, 'high' as const), (text, priority) => {
        const analysis = classifyRequest(text, priority)
        expect(['simple', 'execution', 'complex']).toContain(analysis.kind)
        expect(['general', 'coding', 'analysis', 'writing', 'strategy', 'research']).toContain(analysis.domain)
      })
    )
  })

  it('picks the expert listing the domain, then by model category, never the lead', () => {
    const team = [
      expert('victoria', ['general', 'coding'], 'general', true),
      expert('igor', ['coding'], 'coding'),
      expert('dmitri', ['business'], 'strategy')
    ]
    expect(bestExpertFor('coding', team)?.id).toBe('igor')
    expect(bestExpertFor('strategy', team)?.id).toBe('dmitri')
    expect(bestExpertFor('general', team)).toBeNull()
    expect(detectDomain('hello')).toBe('general')
  })
})
