import type { CallResult, RpcError } from '../../../shared/contract/rpc-error'

/**
 * A list read a page at a time (newest first, keyset cursors) and kept live
 * by pushed changes: the windowed list asks for the next page as it scrolls
 * near the end of what is loaded, and a change is applied to the loaded rows
 * instead of reading them again.
 */
export interface PagedList<T> {
  readonly items: readonly T[]
  /** The cursor of the next page; null once the last page is loaded. */
  readonly nextCursor: string | null
  /** How many rows match, when known (the first page says; changes keep it current). */
  readonly total: number | null
  /** A page is being read. */
  readonly loading: boolean
}

export const EMPTY_PAGES: PagedList<never> = { items: [], nextCursor: null, total: null, loading: false }

/** How a list's rows are told apart, ordered, and matched against its filters. */
export interface ListShape<T> {
  key(item: T): string
  /** Negative when `a` comes first in the list. */
  compare(a: T, b: T): number
  matches(item: T): boolean
}

/** The list after the first page (a new filter or a reconnect replaces what was loaded). */
export function firstPage<T>(items: readonly T[], nextCursor: string | null, total: number | null): PagedList<T> {
  return { items, nextCursor, total: total ?? (nextCursor === null ? items.length : null), loading: false }
}

/**
 * Reads the page after what the list holds and appends it. A list replaced
 * meanwhile (a new filter, a change read the first page again) keeps what it
 * has: the page continued a list that is gone. Resolves to the failure, if any.
 */
export async function loadNextPage<T, V extends { readonly nextCursor: string | null }>(
  current: () => PagedList<T>,
  apply: (list: PagedList<T>) => void,
  read: (cursor: string) => Promise<CallResult<V>>,
  rows: (page: V) => readonly T[],
  key: (item: T) => string
): Promise<RpcError | null> {
  const before = current()
  const cursor = before.nextCursor
  if (before.loading || cursor === null) return null
  apply({ ...before, loading: true })
  const result = await read(cursor)
  const now = current()
  if (now.nextCursor !== cursor) return null
  if (!result.ok) {
    apply({ ...now, loading: false })
    return result.error
  }
  apply(appendPage(now, rows(result.value), result.value.nextCursor, key))
  return null
}

/** The list with the next page appended; rows a change already placed are not repeated. */
export function appendPage<T>(list: PagedList<T>, items: readonly T[], nextCursor: string | null, key: (item: T) => string): PagedList<T> {
  const known = new Set(list.items.map(key))
  return { ...list, items: [...list.items, ...items.filter((item) => !known.has(key(item)))], nextCursor, loading: false }
}

/**
 * Applies changed rows: a loaded row is replaced (and moved if its sort key
 * moved), or removed when it no longer matches the filters; a row that now matches is placed in order when
 * it falls inside what is loaded (a row beyond it comes with a later page).
 * The total moves with rows that enter or leave; a row neither loaded nor
 * newer than the loaded ones cannot be told apart from one already counted,
 * so views that know the exact count (counters by status) set it themselves.
 */
export function applyChanges<T>(list: PagedList<T>, changed: readonly T[], shape: ListShape<T>): PagedList<T> {
  if (changed.length === 0) return list
  let items = [...list.items]
  let total = list.total
  const move = (delta: number): void => void (total = total === null ? null : Math.max(0, total + delta))
  for (const item of changed) {
    const key = shape.key(item)
    const at = items.findIndex((x) => shape.key(x) === key)
    const matches = shape.matches(item)
    if (at >= 0) {
      items.splice(at, 1)
      if (matches) items = placed(items, item, shape.compare)
      else move(-1)
      continue
    }
    if (!matches) continue
    const last = items.at(-1)
    const first = items[0]
    const inside = list.nextCursor === null || (last !== undefined && shape.compare(item, last) < 0)
    if (first === undefined || shape.compare(item, first) < 0) move(1)
    if (inside) items = placed(items, item, shape.compare)
  }
  return { ...list, items, total }
}

function placed<T>(items: T[], item: T, compare: (a: T, b: T) => number): T[] {
  const before = items.findIndex((x) => compare(item, x) < 0)
  return before < 0 ? [...items, item] : [...items.slice(0, before), item, ...items.slice(before)]
}

/** Newest first by an ISO time, then by id as the store orders ties. */
export function newestFirst<T>(time: (item: T) => string, id: (item: T) => string, tieDescending: boolean): (a: T, b: T) => number {
  return (a, b) => {
    const byTime = time(b).localeCompare(time(a))
    if (byTime !== 0) return byTime
    const byId = id(a).localeCompare(id(b))
    return tieDescending ? -byId : byId
  }
}
