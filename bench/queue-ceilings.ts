import type { Db } from '../src/main/db/database'
import { measureThroughput, type ThroughputResult } from './queue-throughput'

/**
 * Indexes a no-op claim → complete writes to but never reads: the task's event history by task
 * (task_events_task), manual review by error type (task_events_deferred), the list by creation
 * (tasks_created) and the dedup window (tasks_dedup). Dropping them is not a setting of the app
 * (its views and dedup read them); it bounds what any leaner schema could gain.
 */
export const UNREAD_INDEXES = ['task_events_task', 'task_events_deferred', 'tasks_created', 'tasks_dedup'] as const

export type Ceiling = 'as the app runs' | 'no fsync' | 'no fsync, 4 indexes fewer'

export interface CeilingResult {
  readonly mode: 'inFlight' | 'batched'
  readonly ceiling: Ceiling
  readonly tasksPerSec: number
  readonly cpuUsPerTask: number
}

/**
 * The engine at c = 8 as it runs, then with less to do: without fsync (synchronous=NORMAL, what
 * Redis's AOF everysec risks), and also without UNREAD_INDEXES. The arms alternate run by run so
 * each meets the same moment of a shared machine; each figure is the median of `runs`.
 */
export async function measureCeilings(repoRoot: string, tasks: number, runs: number): Promise<CeilingResult[]> {
  const dropUnread = (db: Db): void => {
    for (const index of UNREAD_INDEXES) db.exec(`DROP INDEX ${index}`)
  }
  const arms = [
    { ceiling: 'as the app runs', synchronous: 'FULL', prepare: undefined },
    { ceiling: 'no fsync', synchronous: 'NORMAL', prepare: undefined },
    { ceiling: 'no fsync, 4 indexes fewer', synchronous: 'NORMAL', prepare: dropUnread }
  ] as const
  const results: CeilingResult[] = []
  for (const mode of ['inFlight', 'batched'] as const) {
    const byArm: ThroughputResult[][] = arms.map(() => [])
    for (let run = 0; run < runs; run++)
      for (const [i, arm] of arms.entries())
        byArm[i]!.push(await measureThroughput(repoRoot, mode, 8, tasks, arm.synchronous, arm.prepare))
    for (const [i, arm] of arms.entries()) {
      const sorted = byArm[i]!.sort((a, b) => a.tasksPerSec - b.tasksPerSec)
      const median = sorted[sorted.length >> 1]!
      results.push({ mode, ceiling: arm.ceiling, tasksPerSec: median.tasksPerSec, cpuUsPerTask: median.cpuUsPerTask })
    }
  }
  return results
}
