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
export function appendPage<T>(
  list: PagedList<T>,
  items: readonly T[],
  nextCursor: string | null,
  key: (item: T) => string
): PagedList<T> {
  const known = new Set(list.items.map(key))
  return {
    ...list,
    items: [...list.items, ...items.filter((item) => !known.has(key(item)))],
    nextCursor,
    loading: false
  }
}

/**
 * Applies changed rows: a loaded row is replaced (and moved if its sort key
 * moved), or removed when it no longer matches the filters; a row that now
 * matches is placed in order when it falls inside what is loaded, and counted
 * in. A row beyond the loaded pages is left to the page that brings it: it
 * cannot be told from one already counted, so views that know the exact count
 * (the counts by status) set it themselves.
 */
export function applyChanges<T>(list: PagedList<T>, changed: readonly T[], shape: ListShape<T>): PagedList<T> {
  if (changed.length === 0) return list
  // The last state of each row in this change; one pass over what is loaded, whatever its size.
  const latest = new Map<string, T>()
  for (const item of changed) latest.set(shape.key(item), item)
  let total = list.total
  const move = (delta: number): void => void (total = total === null ? null : Math.max(0, total + delta))
  const last = list.items.at(-1)
  const kept: T[] = []
  let moved = false
  for (const item of list.items) {
    const key = shape.key(item)
    const next = latest.get(key)
    if (next === undefined) {
      kept.push(item)
      continue
    }
    latest.delete(key)
    if (!shape.matches(next)) move(-1)
    else {
      kept.push(next)
      moved ||= shape.compare(item, next) !== 0
    }
  }
  const added: T[] = []
  for (const item of latest.values()) {
    // Inside what is loaded, a matching row that was not there did not match before: it enters the list.
    if (!shape.matches(item) || !(list.nextCursor === null || (last !== undefined && shape.compare(item, last) < 0)))
      continue
    added.push(item)
    move(1)
  }
  // Rows keep their order; only new ones (or one whose sort key moved) need a sort, of an almost sorted array.
  const items = added.length === 0 && !moved ? kept : [...kept, ...added].sort(shape.compare)
  return { ...list, items, total }
}

/** Newest first by an ISO time, then by id as the store orders ties. */
export function newestFirst<T>(
  time: (item: T) => string,
  id: (item: T) => string,
  tieDescending: boolean
): (a: T, b: T) => number {
  // ISO times and ids are ASCII: plain comparison orders them as SQLite does, and far faster than localeCompare.
  const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0)
  return (a, b) => order(time(b), time(a)) || (tieDescending ? order(id(b), id(a)) : order(id(a), id(b)))
}
