import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { batchPrompt, parseBatchAnswer } from './batch-answer'

/** Answer text a model could write: anything but the block markers themselves. */
const answer = fc
  .string({ minLength: 1, maxLength: 80 })
  .filter((s) => s.trim() !== '' && !/\[\/?RESULT_\d+\]/i.test(s))
const block = (n: number, text: string): string => `[RESULT_${n}]${text}[/RESULT_${n}]`

describe('batch answer parser (property)', () => {
  it('gives every task its own answer back from a well-formed reply, in any order and with chatter between blocks', () => {
    fc.assert(
      fc.property(
        fc.array(answer, { minLength: 1, maxLength: 12 }),
        fc.array(fc.string({ maxLength: 20 }).filter((s) => !/\[\/?RESULT_/i.test(s))),
        fc.integer(),
        (answers, chatter, seed) => {
          const order = answers.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13))
          const text = order.map((i, k) => `${chatter[k] ?? ''}${block(i + 1, answers[i] as string)}`).join('\n')
          const parsed = parseBatchAnswer(text, answers.length)
          expect(parsed.results).toEqual(answers.map((a) => a.trim()))
          expect(parsed.fallbacks).toEqual([])
        }
      )
    )
  })

  it('never hands a task another task’s answer: with blocks dropped, cut, doubled or emptied, each result is its own answer or a fallback', () => {
    const damage = fc.constantFrom('keep', 'drop', 'cut', 'double', 'empty', 'unclose')
    fc.assert(
      fc.property(fc.array(fc.tuple(answer, damage), { minLength: 1, maxLength: 10 }), fc.nat(200), (tasks, cutAt) => {
        const parts = tasks.map(([text, how], i) => {
          const n = i + 1
          if (how === 'drop') return ''
          if (how === 'empty') return block(n, '  ')
          if (how === 'unclose') return `[RESULT_${n}]${text}`
          if (how === 'double') return `${block(n, text)}${block(n, 'again')}`
          return block(n, text)
        })
        let text = parts.join('\n')
        if (tasks.some(([, how]) => how === 'cut')) text = text.slice(0, cutAt)
        const parsed = parseBatchAnswer(text, tasks.length)
        expect(parsed.results).toHaveLength(tasks.length)
        parsed.results.forEach((result, i) => {
          if (result !== null) expect(result).toBe((tasks[i] as [string, string])[0].trim())
        })
        const fellBack = new Set(parsed.fallbacks.map((f) => f.n))
        parsed.results.forEach((result, i) => expect(result === null).toBe(fellBack.has(i + 1)))
      })
    )
  })

  it('never throws on arbitrary text and names only task numbers of the batch', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 1, max: 20 }), (text, count) => {
        const parsed = parseBatchAnswer(text, count)
        expect(parsed.results).toHaveLength(count)
        for (const f of parsed.fallbacks) expect(f.n >= 1 && f.n <= count).toBe(true)
      })
    )
  })

  it('finds blocks in text whose upper case is longer than itself', () => {
    expect(parseBatchAnswer(`straße ${block(1, 'groß')} ${block(2, 'ﬃ')}`, 2).results).toEqual(['groß', 'ﬃ'])
  })

  it('says why each task falls back', () => {
    const text = `${block(1, 'one')}[RESULT_2]two${block(3, ' ')}${block(4, 'a')}${block(4, 'b')}[RESULT_5][RESULT_6]x[/RESULT_6][/RESULT_5]`
    expect(parseBatchAnswer(text, 7).fallbacks).toEqual([
      { n: 2, reason: 'unclosed' },
      { n: 3, reason: 'empty' },
      { n: 4, reason: 'duplicate' },
      { n: 5, reason: 'nested' },
      { n: 7, reason: 'missing' }
    ])
  })

  it('asks for one block per task, numbered as the tasks are', () => {
    const prompt = batchPrompt([
      { title: 'Define EBITDA', description: 'One sentence.' },
      { title: 'Define ROI', description: 'One sentence.' }
    ])
    expect(prompt).toContain('[RESULT_N] and [/RESULT_N]')
    expect(prompt).toContain('Task 1: Define EBITDA')
    expect(prompt).toContain('Task 2: Define ROI')
  })
})
