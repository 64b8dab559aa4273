import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createNodeIds } from './node-id'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('node ids', () => {
  it('are version-7 UUIDs that start with the time they were made', () => {
    const id = createNodeIds(() => Date.UTC(2026, 11, 2, 10, 0, 0, 123))()
    expect(id).toMatch(UUID_V7)
    expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 2, 10, 0, 0, 123))
  })

  it('sort in the order they were made, whatever the clock does (stands still, jumps, goes back)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 300 }), (times) => {
        let at = 0
        const next = createNodeIds(() => times[at++ % times.length]!)
        const ids = Array.from({ length: times.length * 2 }, next)
        for (const id of ids) expect(id).toMatch(UUID_V7)
        expect([...ids].sort()).toEqual(ids)
        expect(new Set(ids).size).toBe(ids.length)
      })
    )
  })

  it('keep their order past 4,096 ids in one millisecond, by carrying the time forward', () => {
    const next = createNodeIds(() => 1_000)
    const ids = Array.from({ length: 10_000 }, next)
    expect([...ids].sort()).toEqual(ids)
    expect(parseInt(ids.at(-1)!.replaceAll('-', '').slice(0, 12), 16)).toBe(1_002)
  })
})
