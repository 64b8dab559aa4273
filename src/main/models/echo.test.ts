import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { COMPARED_WINDOW, couldStillBeEcho, editDistanceAtMost, isEcho, normalize, normalizedStart } from './echo'

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

  it('decides "at most k edits apart" exactly as the full edit distance does', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), maxLength: 60 })
    fc.assert(
      fc.property(text, text, fc.nat({ max: 12 }), (a, b, k) => {
        expect(editDistanceAtMost(a, b, k)).toBe(fullEditDistance(a, b) <= k)
      }),
      { numRuns: 2000 }
    )
  })

  it('does not call a document fixed or reformatted as asked an echo, though it is most of the prompt', () => {
    const document = manyWords(3_000, 4)
    const withTypos = document.replace(/quarterly/g, 'quartrely')
    for (const instruction of ['Fix the typos', 'Format this as Markdown:', 'Proofread the release notes'])
      expect(isEcho(`${instruction}\n\n${withTypos}`, document)).toBe(false)
    // The same prompt repeated, its instruction included, still is one.
    expect(isEcho(`Fix the typos\n\n${withTypos}`, `Fix the typos\n\n${withTypos}`)).toBe(true)
  })

  it('calls a long answer an echo when it repeats the prompt with edits spread through it, and not when only its start does', () => {
    const prompt = manyWords(60_000, 1)
    const spread = prompt
      .split('')
      .map((c, i) => (i % 40 === 0 && c !== ' ' ? 'x' : c))
      .join('')
    expect(isEcho(prompt, spread)).toBe(true)
    expect(isEcho(prompt, manyWords(60_000, 2))).toBe(false)
    // The prompt's first words, then an answer of its own of about the same length.
    const quotesThenAnswers = prompt.slice(0, 3 * COMPARED_WINDOW) + manyWords(57_000, 3)
    expect(isEcho(prompt, quotesThenAnswers)).toBe(false)
  })
})

function fullEditDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)))
    previous = current
  }
  return previous[b.length]!
}

/** A text of about `length` characters of ordinary words, the same for the same seed. */
function manyWords(length: number, seed: number): string {
  const words = [
    'the',
    'quarterly',
    'report',
    'shows',
    'revenue',
    'growth',
    'in',
    'every',
    'region',
    'and',
    'costs',
    'fell'
  ]
  let text = ''
  let state = seed
  while (text.length < length) {
    state = (state * 1103515245 + 12345) >>> 0
    text += `${words[state % words.length]} `
  }
  return text
}
