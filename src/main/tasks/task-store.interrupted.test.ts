import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { taskInsert } from './testing/task-insert'
import { migratedDb } from './testing/test-engine'
import { createTaskStore, POISON_CRASHES, type Changes, type TaskInsert } from './task-store'
import { CLAIM_SOURCE_COLUMNS, type ClaimSource } from './task-row'

const newTask = (title: string): TaskInsert => taskInsert({ title, dedupKey: `key-${title}` })

const STUCK = 15 * 60_000

describe('task store: interrupted runs, poison tasks and backend waits', () => {
  const tempDir = useTempDirs()

  function setup() {
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') }
    const db = migratedDb(tempDir())
    const store = createTaskStore(db, () => clock.t)
    const create = (title: string): string => {
      const made = store.create(newTask(title))
      if (!made.ok) throw new Error('not created')
      clock.t += 1
      return made.task.id
    }
    const interruptedCount = (id: string): number =>
      (db.prepare('SELECT interrupted_count AS n FROM tasks WHERE id = ?').get(id) as { n: number }).n
    const claimSource = (id: string): ClaimSource =>
      db.prepare(`SELECT ${CLAIM_SOURCE_COLUMNS} FROM tasks WHERE id = ?`).get(id) as ClaimSource
    return { db, store, clock, create, interruptedCount, claimSource }
  }

  it('records a run cut off by a dead process as interrupted, gives its attempt back, and claims it after the tasks that were never interrupted', () => {
    const { store, clock, create } = setup()
    const first = create('first')
    const second = create('second')
    expect(store.claim(first, 'dead-boot', 'b', 'm', 3, [])?.attempt).toBe(1)
    clock.t += 1000
    const changes: Changes = []
    expect(store.reclaimLapsed('new-boot', clock.t - STUCK, 3, changes).map((l) => l.taskId)).toEqual([first])
    expect(changes).toMatchObject([
      { taskId: first, kind: 'interrupted', status: 'pending', attempt: 0, errorType: 'interrupted' }
    ])
    expect(changes[0]?.message).toMatch(
      /^interrupted: the app stopped while this task ran \(dead-boot is gone\); no attempt counted$/
    )
    expect(store.get(first)).toMatchObject({ status: 'pending', attemptCount: 0, errorType: 'interrupted' })
    // Older, but interrupted: it goes after the task that was not.
    expect(store.candidates(10, 3).map((r) => r.id)).toEqual([second, first])
    expect(store.claim(first, 'new-boot', 'b', 'm', 3, [])?.attempt).toBe(1)
  })

  it('counts an attempt for a lease that lapsed inside the live process (an overrun), as a timeout', () => {
    const { store, clock, create } = setup()
    const id = create('slow')
    store.claim(id, 'me', 'b', 'm', 3, [])
    clock.t += STUCK + 1
    const changes: Changes = []
    store.reclaimLapsed('me', clock.t - STUCK, 3, changes)
    expect(changes).toMatchObject([{ kind: 'requeued', errorType: 'timeout', attempt: 1 }])
    expect(store.get(id)).toMatchObject({ status: 'pending', attemptCount: 1, errorType: 'timeout' })
  })

  it(`sends a task in flight at ${POISON_CRASHES} consecutive crashes to manual review with that cause`, () => {
    const { store, clock, create, interruptedCount } = setup()
    const poison = create('poison')
    const crash = (boot: number): Changes => {
      const changes: Changes = []
      clock.t += 1000
      store.reclaimLapsed(`boot-${boot}`, clock.t - STUCK, 3, changes)
      return changes
    }
    for (let boot = 1; boot < POISON_CRASHES; boot++) {
      store.claim(poison, `boot-${boot}`, 'b', 'm', 3, [])
      expect(crash(boot + 1).map((c) => c.kind)).toEqual(['interrupted'])
      expect(interruptedCount(poison)).toBe(boot)
    }
    store.claim(poison, `boot-${POISON_CRASHES}`, 'b', 'm', 3, [])
    const last = crash(POISON_CRASHES + 1)
    expect(last.map((c) => c.kind)).toEqual(['interrupted', 'deferred'])
    expect(last[1]).toMatchObject({ status: 'deferred_to_human', errorType: 'interrupted', attempt: 0 })
    expect(store.get(poison)).toMatchObject({ status: 'deferred_to_human', attemptCount: 0, errorType: 'interrupted' })
    expect(store.get(poison)?.lastError).toMatch(/suspected poison task: it was running at each of the last 3 crashes/)
    // Returned by a person, it starts afresh.
    store.requeue([poison], [])
    expect(interruptedCount(poison)).toBe(0)
  })

  it('a crash with the task not in flight breaks its run of crashes; a claim made ahead of a free slot does not count as running', () => {
    const { store, clock, create, interruptedCount, claimSource } = setup()
    const suspect = create('suspect')
    const bystander = create('bystander')
    const crashAt = (boot: number): void => {
      clock.t += 1000
      store.reclaimLapsed(`boot-${boot}`, clock.t - STUCK, 3, [])
    }
    store.claim(suspect, 'boot-1', 'b', 'm', 3, [])
    crashAt(2)
    store.claim(suspect, 'boot-2', 'b', 'm', 3, [])
    crashAt(3)
    expect(interruptedCount(suspect)).toBe(2)
    // The third crash finds another task in flight: the suspect was not the cause this time.
    store.claim(bystander, 'boot-3', 'b', 'm', 3, [])
    crashAt(4)
    expect(interruptedCount(suspect)).toBe(0)
    expect(interruptedCount(bystander)).toBe(1)
    // Claimed ahead, the bystander was not running when the process died: interrupted, but not counted against it.
    store.claimMany([{ row: claimSource(bystander), backend: 'b', model: 'm', ahead: true }], 'boot-4', 3, [])
    const changes: Changes = []
    clock.t += 1000
    store.reclaimLapsed('boot-5', clock.t - STUCK, 3, changes)
    expect(changes).toMatchObject([{ kind: 'interrupted', taskId: bystander }])
    expect(changes[0]?.message).toMatch(/while this task was claimed/)
    expect(interruptedCount(bystander)).toBe(1)
  })

  it('puts a task whose backend failed back as pending without counting the attempt, with the reason shown and a time to retry', () => {
    const { store, clock, create } = setup()
    const id = create('waits')
    const lease = store.claim(id, 'me', 'ollama-local', 'llama3', 3, [])
    if (!lease) throw new Error('not claimed')
    const reason = 'circuit open — ollama-local: 500 on 8 of the last 8 generations since 14:02'
    const changes: Changes = []
    expect(store.wait(lease, reason, 'server_error', clock.t + 5000, changes)).toBe(true)
    expect(changes).toMatchObject([
      { kind: 'waiting', status: 'pending', attempt: 0, message: reason, errorType: 'server_error' }
    ])
    expect(store.get(id)).toMatchObject({
      status: 'pending',
      attemptCount: 0,
      lastError: reason,
      errorType: 'server_error'
    })
    expect(store.candidates(10, 3)).toEqual([])
    clock.t += 5000
    expect(store.candidates(10, 3).map((r) => r.id)).toEqual([id])
    // A lease that is no longer the task's changes nothing.
    expect(store.wait(lease, reason, 'server_error', null, [])).toBe(false)
  })
})
