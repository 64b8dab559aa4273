import { decodeCursor, encodeCursor } from '../../shared/contract/paging'

/** What a list call asks for: the page after `cursor` (the first without one), of at most `limit` rows. */
export interface PageRequest {
  readonly cursor?: string | undefined
  readonly limit: number
}

/** A condition and its parameters, to AND into a WHERE clause. */
export interface Condition {
  readonly sql: string
  readonly params: readonly (string | number)[]
}

/**
 * Keyset paging for a table listed `ORDER BY <time> DESC, rowid DESC`, whose
 * time is ISO 8601 text (it sorts as the time does): the rows after the
 * cursor's row. The cursor names that row by time and id; a row inserted
 * meanwhile is newer, so it comes before the cursor and shifts nothing after it.
 */
export function afterCursor(table: string, alias: string, timeColumn: string, cursor: string): Condition {
  const { atMs, id } = decodeCursor(cursor)
  const at = new Date(atMs).toISOString()
  const time = `${alias}.${timeColumn}`
  return {
    sql: `(${time} < ? OR (${time} = ? AND ${alias}.rowid < (SELECT rowid FROM ${table} WHERE id = ?)))`,
    params: [at, at, id]
  }
}

/** The cursor after a page whose last row is `last`; null when no rows follow. */
export function cursorAfter(
  last: { readonly id: string; readonly at: string } | undefined,
  more: boolean
): string | null {
  return more && last ? encodeCursor({ atMs: Date.parse(last.at), id: last.id }) : null
}
