import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { migratedDb } from './testing/test-engine'
import { taskInsert } from './testing/task-insert'
import { createTaskStore } from './task-store'

describe('counts by status kept by the store', () => {
  const tempDir = useTempDirs()

  function setup() {
    const db = migratedDb(tempDir())
    const store = createTaskStore(db)
    const ids = [0, 1, 2].map((i) => {
      const made = store.create(taskInsert({ title: `task ${i}`, dedupKey: `k${i}` }))
      if (!made.ok) throw new Error('not created')
      return made.task.id
    })
    const stored = (): Record<string, number> =>
      Object.fromEntries(
        (
          db.prepare('SELECT status, n FROM task_status_counts WHERE n != 0').all() as { status: string; n: number }[]
        ).map((r) => [r.status, r.n])
      )
    return { db, store, ids, stored }
  }

  it('writes a transaction’s status changes once, at its end, and a read inside the transaction already sees them', () => {
    const { store, ids, stored } = setup()
    store.transaction(() => {
      for (const id of ids) store.claim(id, 'me', 'b', 'm', 3, [])
      // Not written yet: summed until the transaction ends.
      expect(stored()).toEqual({ pending: 3 })
      expect(store.statusCounts()).toMatchObject({ pending: 0, in_progress: 3 })
    })
    expect(stored()).toEqual({ in_progress: 3 })
  })

  it('drops the changes of a transaction that rolls back, so the counts stay those of the rows', () => {
    const { store, ids, stored } = setup()
    expect(() =>
      store.transaction(() => {
        for (const id of ids) store.claim(id, 'me', 'b', 'm', 3, [])
        throw new Error('the group failed')
      })
    ).toThrow('the group failed')
    expect(stored()).toEqual({ pending: 3 })
    store.transaction(() => store.claim(ids[0] as string, 'me', 'b', 'm', 3, []))
    expect(stored()).toEqual({ pending: 2, in_progress: 1 })
  })

  it('writes a change at once outside the store’s transaction, as a trigger would', () => {
    const { store, ids, stored } = setup()
    const lease = store.claim(ids[0] as string, 'me', 'b', 'm', 3, [])
    expect(stored()).toEqual({ pending: 2, in_progress: 1 })
    if (lease) store.complete(lease, 'done', 1, [])
    expect(stored()).toEqual({ pending: 2, completed: 1 })
  })
})

describe('counts by status after a status written behind the store', () => {
  const tempDir = useTempDirs()

  it('are set to the rows’ own when the store opens, so a returned task leaves manual review at 0, not -1', () => {
    const db = migratedDb(tempDir())
    const first = createTaskStore(db)
    const made = first.create(taskInsert({ title: 'seeded', dedupKey: 'seeded' }))
    if (!made.ok) throw new Error('not created')
    // As a restored backup or a test's seed leaves it: the status changed, the counts not.
    db.prepare("UPDATE tasks SET status = 'deferred_to_human', attempt_count = 3").run()
    const store = createTaskStore(db)
    expect(store.statusCounts()).toMatchObject({ pending: 0, deferred_to_human: 1 })
    store.transaction(() => store.requeue('all_deferred', []))
    expect(store.statusCounts()).toMatchObject({ pending: 1, deferred_to_human: 0 })
  })
})
