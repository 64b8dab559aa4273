import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Db } from '../src/main/db/database'
import { checkFullTextIndex, FTS_TABLE } from '../src/main/knowledge/full-text-index'
import { time, timeBothAsync } from './kb-timing'

export interface FullTextCheckFigures {
  /** The checklist's check as it is: on a helper thread, read-only. */
  readonly helperThread: { readonly ms: number; readonly longestEventLoopStallMs: number; readonly ok: boolean }
  /** FTS5's 'integrity-check' command with rank 1, as the check was: the event loop and the write lock held throughout. */
  readonly insertCommandOnEventLoopMs: number
}

/** The checklist's look at the whole full-text index, now and as it was, on the same database. */
export async function measureFullTextCheck(db: Db): Promise<FullTextCheckFigures> {
  const stalls = monitorEventLoopDelay({ resolution: 1 })
  stalls.enable()
  const [verdict, ms] = await timeBothAsync(() => checkFullTextIndex(db, { signal: new AbortController().signal }))
  stalls.disable()
  const [, insertCommandOnEventLoopMs] = time(
    () => void db.prepare(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}, rank) VALUES ('integrity-check', 1)`).run()
  )
  return {
    helperThread: {
      ms: Math.round(ms),
      longestEventLoopStallMs: Number((stalls.max / 1e6).toFixed(1)),
      ok: verdict.ok
    },
    insertCommandOnEventLoopMs: Math.round(insertCommandOnEventLoopMs)
  }
}
