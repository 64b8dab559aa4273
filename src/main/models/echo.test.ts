import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { couldStillBeEcho, isEcho } from './echo'

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
})
