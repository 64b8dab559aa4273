import { describe, expect, it } from 'vitest'
import { countOf } from './count-of'

describe('countOf', () => {
  it('words one thing in the singular and any other count in the plural', () => {
    expect(countOf(1, 'chunk')).toBe('1 chunk')
    expect(countOf(0, 'chunk')).toBe('0 chunks')
    expect(countOf(12, 'task')).toBe('12 tasks')
  })

  it('takes the plural of a noun that does not just add an s', () => {
    expect(countOf(2, 'entry', 'entries')).toBe('2 entries')
    expect(countOf(1, 'entry', 'entries')).toBe('1 entry')
  })
})
