import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { couldStillBeEcho, isEcho, normalize, normalizedStart } from './echo'

describe('echo detection', () => {
  it('calls an identical or nearly identical answer an echo', () => {
    expect(isEcho('Summarise the quarterly report.', 'Summarise the quarterly report.')).toBe(true)
    expect(isEcho('Summarise the quarterly report.', 'summarise the  quarterly report')).toBe(true)
    expect(
      isEcho('Summarise the quarterly report for the board', 'Summarise the quarterly reports for the board')
    ).toBe(true)
  })

  it('does not call a real answer an echo', () => {
    expect(isEcho('Summarise the quarterly report.', 'Revenue grew 12% while costs fell.')).toBe(false)
    expect(isEcho('What is 2+2?', 'What is 2+2? It is 4, because two and two make four.')).toBe(false)
    expect(isEcho('hi', '')).toBe(false)
  })

  it('always calls the prompt itself an echo, and a prefix of it a possible one', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => /[\p{L}\p{N}]/u.test(s)),
        fc.nat(),
        (prompt, cut) => {
          expect(isEcho(prompt, prompt)).toBe(true)
          expect(couldStillBeEcho(prompt, prompt.slice(0, cut % (prompt.length + 1)))).toBe(true)
        }
      )
    )
  })

  // Letters whose lower case depends on what follows (Σ), that grow when lowered (İ), astral pairs a cut can split, marks, spaces, punctuation.
  const tricky = fc
    .array(
      fc.constantFrom(
        'a',
        'B',
        'Σ',
        'σ',
        'ς',
        'İ',
        'ß',
        '😀',
        '\u0301',
        '1',
        ' ',
        '  ',
        '\t',
        '\n',
        '!',
        '.',
        "'",
        'я',
        'Ж'
      ),
      {
        maxLength: 400
      }
    )
    .map((parts) => parts.join(''))

  it('holds back exactly what normalizing the whole prompt would, however long the prompt', () => {
    fc.assert(
      fc.property(tricky, fc.nat(), fc.nat(), tricky, (prompt, from, cut, tail) => {
        // Answers that start like the prompt (the case that matters), some going on differently.
        const start = prompt.slice(0, cut % (prompt.length + 1))
        for (const answer of [start, start + tail, prompt.slice(from % (prompt.length + 1)), tail])
          expect(couldStillBeEcho(prompt, answer)).toBe(normalize(prompt).startsWith(normalize(answer)))
      }),
      { numRuns: 500 }
    )
  })

  it('normalizes only the start of a long text, exact but for its last character', () => {
    fc.assert(
      fc.property(tricky, fc.nat({ max: 200 }), (text, length) => {
        const whole = normalize(text)
        const start = normalizedStart(text, length)
        expect(start === whole || start.length > length + 1).toBe(true)
        expect(whole.startsWith(start.slice(0, -1))).toBe(true)
      }),
      { numRuns: 500 }
    )
  })
})
