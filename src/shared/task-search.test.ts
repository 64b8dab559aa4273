import { describe, expect, it } from 'vitest'
import { idRange, matchesId } from './task-search'

describe('a task named by its id in the search', () => {
  const id = '3f2a9c1e-7b4d-4e2a-9f00-1c2d3e4f5a6b'

  it('finds the task by its whole id, or by a start of it of four characters or more', () => {
    expect(matchesId(id, id)).toBe(true)
    expect(matchesId(id, '3f2a9c1e')).toBe(true)
    expect(matchesId(id, ' 3f2a ')).toBe(true)
    expect(matchesId(id, '3f2b')).toBe(false)
  })

  it('does not match by a start shorter than that, which would name tasks by chance', () => {
    expect(matchesId(id, '3f2')).toBe(false)
    expect(matchesId('abc', 'abc')).toBe(true)
    expect(idRange('abc')).toEqual(['abc', 'abc\u0000'])
  })
})
