import type { WalSync } from '../db/wal-sync'
import type { Logger } from '../log/logger'
import type { TaskEvent, TasksChanged } from '../../shared/contract/tasks-contract'
import type { Changes } from './task-store'

interface Write {
  apply(changes: Changes): unknown
  done(result: unknown): void
  failed(error: unknown): void
}

export interface GroupCommitOptions {
  /** One immediate transaction around `fn`. */
  readonly transaction: <T>(fn: () => T) => T
  /** Commits a group without flushing, and says when it is on disk. */
  readonly wal: Pick<WalSync, 'commitUnflushed' | 'whenDurable'>
  /** Reads what a group changed (its tasks as the list shows them, the counts by status), inside its transaction, so it is exactly that group's result. */
  readonly describe: (changes: Changes) => TasksChanged
  /** Told the events of each committed group and what it changed, once it is on disk and before any write of it is acknowledged. */
  readonly publish: (events: readonly TaskEvent[], changed: TasksChanged) => void
  readonly log: Logger
  /** Every group's first step (the pool writes the claim events of runs that outlived the group that claimed them). */
  readonly begin: (changes: Changes) => void
  /**
   * Joined to every group as its last step (the pool claims here, so freed
   * slots are refilled in the same commit); what it returns runs after the commit.
   */
  readonly finish: (changes: Changes) => (() => void) | null
}

/**
 * Writes queued during one turn of the event loop, committed together in
 * one transaction at the next. Nothing is acknowledged (no callback told, no
 * event published) before its group is committed and flushed to disk; the
 * flush runs off the event loop (wal-sync.ts), so the next group is built
 * meanwhile. A group that fails is rolled back whole and every write in it
 * is told the error. Each committed group is published once, as its events
 * and one `TasksChanged`: a window applies that instead of reading again.
 */
export function createGroupCommit(options: GroupCommitOptions) {
  let writes: Write[] = []
  let scheduled = false

  function schedule(): void {
    if (scheduled) return
    scheduled = true
    setImmediate(flush)
  }

  function flush(): void {
    scheduled = false
    const group = writes
    writes = []
    const changes: Changes = []
    const results: unknown[] = new Array(group.length)
    let committed: { after: (() => void) | null; changed: TasksChanged | null }
    try {
      committed = options.wal.commitUnflushed(() =>
        options.transaction(() => {
          options.begin(changes)
          for (let i = 0; i < group.length; i++) results[i] = (group[i] as Write).apply(changes)
          const after = options.finish(changes)
          return { after, changed: changes.length > 0 ? options.describe(changes) : null }
        })
      )
    } catch (error) {
      options.log.error('task queue commit failed', { error, operations: group.length })
      for (const write of group) write.failed(error)
      return
    }
    const { after, changed } = committed
    // A group with no writes whose last step claimed nothing changed nothing: there is nothing to flush or acknowledge (an idle pool polls every second).
    if (group.length > 0 || changes.length > 0) {
      options.wal.whenDurable((error) => {
        if (error) {
          options.log.error('task queue commit could not be flushed to disk', { error, operations: group.length })
          for (const write of group) write.failed(error)
          return
        }
        if (changed) options.publish(changes, changed)
        for (let i = 0; i < group.length; i++) (group[i] as Write).done(results[i])
      })
    }
    // Claimed tasks start now: a claim lost to a crash before the flush leaves its task pending, to run again.
    after?.()
  }

  return {
    schedule,
    /** Queues `apply` for the next group; `done` gets its result once committed, `failed` the error that rolled the group back. */
    write<T>(apply: (changes: Changes) => T, done: (result: T) => void, failed: (error: unknown) => void): void {
      writes.push({ apply, done: done as (result: unknown) => void, failed })
      schedule()
    },
    /** write() as a promise, for callers off the hot path. */
    commit<T>(apply: (changes: Changes) => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        writes.push({ apply, done: resolve as (result: unknown) => void, failed: reject })
        schedule()
      })
    }
  }
}

export type GroupCommit = ReturnType<typeof createGroupCommit>
