import { describe, expect, it } from 'vitest'
import { createTaskIds } from './task-id'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('task ids', () => {
  it('are UUIDv7 with the creation time in their first 48 bits', () => {
    const at = Date.UTC(2026, 10, 24, 12, 0, 0, 123)
    const id = createTaskIds(() => at)()
    expect(id).toMatch(UUID_V7)
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at)
  })

  it('sort in the order they were made, even thousands within one millisecond and with the clock stepping back', () => {
    const clock = 1_700_000_000_000
    const times = [...Array.from({ length: 6000 }, () => clock), clock - 50, clock + 1, clock + 1]
    let i = 0
    const next = createTaskIds(() => times[i++] ?? clock)
    const ids = times.map(() => next())
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
  })
})
