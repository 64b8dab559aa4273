import { z } from 'zod'

/**
 * Lists are read a page at a time, newest first. A cursor names the last row
 * of the page before as its sort time (milliseconds) and id, so the next page
 * starts after exactly that row: rows inserted meanwhile (newer, so before
 * the cursor) neither shift nor repeat the rows that follow it.
 */
export interface PagePosition {
  readonly atMs: number
  readonly id: string
}

const CURSOR = /^(\d{1,15}):(.{1,200})$/s

/** A cursor as the contract carries it: opaque to a client, which passes back the `nextCursor` it was given. */
export const PageCursorSchema = z
  .string()
  .max(220)
  .regex(
    CURSOR,
    'A cursor is the nextCursor of the page before; pass it back unchanged, or leave it out for the first page.'
  )

export function encodeCursor(position: PagePosition): string {
  return `${position.atMs}:${position.id}`
}

/** The position a cursor names; the schema has already checked its form. */
export function decodeCursor(cursor: string): PagePosition {
  const match = CURSOR.exec(cursor)
  return { atMs: Number(match?.[1] ?? 0), id: match?.[2] ?? '' }
}

/** Page-size fields for a list call: `limit` defaults to `size` and may go up to `max`. */
export function pageInput(size: number, max: number) {
  return {
    cursor: PageCursorSchema.optional(),
    limit: z.number().int().min(1).max(max).default(size)
  }
}

/** null on the last page. */
export const NextCursorSchema = PageCursorSchema.nullable()
