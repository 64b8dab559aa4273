import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { appendPage, applyChanges, firstPage, newestFirst, type ListShape } from './paged-list'

interface Row {
  readonly id: string
  readonly at: string
  readonly kind: 'a' | 'b'
}

const row = (id: string, minute: number, kind: Row['kind'] = 'a'): Row => ({
  id,
  at: `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`,
  kind
})
const shape = (kind: Row['kind'] | null): ListShape<Row> => ({
  key: (r) => r.id,
  compare: newestFirst(
    (r: Row) => r.at,
    (r) => r.id,
    false
  ),
  matches: (r) => kind === null || r.kind === kind
})

describe('paged list', () => {
  it('counts a single complete page, and leaves the total to the server when more pages follow', () => {
    expect(firstPage([row('x', 1)], null, null).total).toBe(1)
    expect(firstPage([row('x', 1)], 'c1', null).total).toBeNull()
    expect(firstPage([row('x', 1)], 'c1', 40).total).toBe(40)
  })

  it('appends the next page without repeating a row already shown (a page read while a change came in)', () => {
    const list = firstPage([row('c', 9), row('b', 8), row('a', 7)], 'cur', 5)
    const next = appendPage(list, [row('a', 7), row('z', 6)], null, (r) => r.id)
    expect(next.items.map((r) => r.id)).toEqual(['c', 'b', 'a', 'z'])
    expect(next.nextCursor).toBeNull()
  })

  it('puts a new row first and counts it; replaces a loaded row in place', () => {
    const list = firstPage([row('b', 5), row('a', 4)], null, 2)
    const changed = applyChanges(list, [row('c', 6), { ...row('a', 4), kind: 'a' as const }], shape('a'))
    expect(changed.items.map((r) => r.id)).toEqual(['c', 'b', 'a'])
    expect(changed.total).toBe(3)
  })

  it('drops a loaded row that no longer matches the filter and counts it out', () => {
    const list = firstPage([row('b', 5), row('a', 4)], null, 2)
    const changed = applyChanges(list, [row('a', 4, 'b')], shape('a'))
    expect(changed.items.map((r) => r.id)).toEqual(['b'])
    expect(changed.total).toBe(1)
  })

  it('leaves a row that sorts beyond the loaded pages to the page that brings it', () => {
    const list = firstPage([row('d', 9), row('c', 8)], 'cursor', 10)
    const changed = applyChanges(list, [row('old', 1)], shape(null))
    expect(changed.items.map((r) => r.id)).toEqual(['d', 'c'])
    expect(changed.total).toBe(10)
  })

  it('orders ties in time by id as the store does', () => {
    const list = firstPage([row('b', 5), row('d', 5)], null, 2)
    expect(applyChanges(list, [row('c', 5)], shape(null)).items.map((r) => r.id)).toEqual(['b', 'c', 'd'])
  })

  it('ignores a changed row that does not match and is not loaded', () => {
    const list = firstPage([row('b', 5)], null, 1)
    expect(applyChanges(list, [row('x', 9, 'b')], shape('a'))).toEqual(list)
  })

  it('keeps a fully loaded list equal to reading it again, whatever changes come (property)', () => {
    const rowArb = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      minute: fc.integer({ min: 0, max: 5 }),
      kind: fc.constantFrom<Row['kind']>('a', 'b')
    })
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 6 }),
        fc.array(fc.array(rowArb, { maxLength: 4 }), { maxLength: 5 }),
        (initial, batches) => {
          const byId = new Map<string, Row>()
          for (const r of initial) byId.set(r.id, row(r.id, r.minute, r.kind))
          // A row's creation time never changes: a change keeps the minute it was created with.
          const s = shape('a')
          const read = (): Row[] => [...byId.values()].filter(s.matches).sort(s.compare)
          let list = firstPage(read(), null, null)
          for (const batch of batches) {
            const changed = batch.map((r) =>
              row(r.id, byId.get(r.id) ? Number(byId.get(r.id)?.at.slice(14, 16)) : r.minute, r.kind)
            )
            for (const r of changed) byId.set(r.id, r)
            list = applyChanges(list, changed, s)
            expect(list.items).toEqual(read())
            expect(list.total).toBe(read().length)
          }
        }
      )
    )
  })
})
