import type { Db } from './database'
import { readOnHelperThread } from './read-on-helper-thread'

/** What PRAGMA quick_check said: the problems it listed (none: the database is consistent), or why it could not read. */
export type QuickCheckResult =
  { readonly ok: true; readonly problems: readonly string[] } | { readonly ok: false; readonly message: string }

/** PRAGMA quick_check, on a helper thread: it reads every page of the file. */
export async function quickCheck(
  db: Db,
  options: { readonly limit: number; readonly signal: AbortSignal; readonly driver?: string }
): Promise<QuickCheckResult> {
  const read = await readOnHelperThread(db, {
    statements: [`PRAGMA quick_check(${options.limit})`],
    signal: options.signal,
    driver: options.driver
  })
  if (!read.ok) return read
  const rows = (read.rows[0] ?? []) as readonly { quick_check: string }[]
  return { ok: true, problems: rows.map((r) => r.quick_check).filter((r) => r !== 'ok') }
}
