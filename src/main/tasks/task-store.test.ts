import type { TaskStatus } from '../../shared/contract/tasks-contract'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { migratedDb } from './testing/test-engine'
import { createTaskStore, type Changes, type TaskInsert } from './task-store'

const newTask = (over: Partial<TaskInsert> = {}): TaskInsert => ({
  title: 'Summarise the report',
  description: 'Summarise the quarterly report in five bullet points.',
  domain: 'finance',
  priority: 'normal',
  assigneeExpert: 'analyst',
  parentTaskId: null,
  preferredBackend: null,
  preferredModel: null,
  metadata: {},
  batchGroup: null,
  dedupKey: `key-${Math.random()}`,
  ...over
})

describe('task store', () => {
  const tempDir = useTempDirs()

  function setup(clock = { t: Date.parse('2026-01-01T00:00:00Z') }) {
    const db = migratedDb(tempDir())
    return { db, store: createTaskStore(db, () => clock.t), clock }
  }

  it('gives a task to one run only: a second claim of a held task gets nothing', () => {
    const { store } = setup()
    const created = store.create(newTask())
    if (!created.ok) throw new Error('not created')
    const changes: Changes = []
    const first = store.claim(created.task.id, 'a', 'b', 'm', 3, changes)
    const second = store.claim(created.task.id, 'b', 'b', 'm', 3, changes)
    expect(first?.attempt).toBe(1)
    expect(second).toBeNull()
    expect(changes.map((c) => c.kind)).toEqual(['claimed'])
    expect(store.get(created.task.id)?.status).toBe('in_progress')
  })

  it("writes a pool claim's event once, and again after a transaction that wrote it rolled back", () => {
    const { store } = setup()
    const created = store.create(newTask())
    if (!created.ok) throw new Error('not created')
    const id = created.task.id
    const [row] = store.candidates(1, 3)
    if (!row) throw new Error('no candidate')
    const [lease] = store.claimMany([{ row, backend: 'b', model: 'm' }], 'a', 3, [])
    if (!lease) throw new Error('not claimed')
    expect(store.events(id).map((e) => e.kind)).toEqual(['created'])
    expect(() =>
      store.transaction(() => {
        store.announce(lease, [])
        throw new Error('SQLITE_FULL: database or disk is full')
      })
    ).toThrow(/SQLITE_FULL/)
    expect(lease.announced).toBe(false)
    const changes: Changes = []
    store.transaction(() => {
      store.announce(lease, changes)
      store.announce(lease, changes)
    })
    expect(changes.map((c) => [c.kind, c.message])).toEqual([['claimed', 'on b/m']])
    expect(store.complete(lease, 'the answer', 10, changes)).toBe(true)
    expect(store.events(id).map((e) => [e.kind, e.message])).toEqual([
      ['created', null],
      ['claimed', 'on b/m'],
      ['completed', null]
    ])
  })

  describe('a held claim (a quick run, written with its completion)', () => {
    function heldLease(store: ReturnType<typeof createTaskStore>) {
      const created = store.create(newTask())
      if (!created.ok) throw new Error('not created')
      const [row] = store.candidates(1, 3)
      if (!row) throw new Error('no candidate')
      const [lease] = store.claimMany(
        [{ row, backend: 'b', model: 'm', hold: { updatedAt: row.updated_at } }],
        'a',
        3,
        []
      )
      if (!lease) throw new Error('not claimed')
      return { id: created.task.id, lease }
    }

    it('leaves the task pending until its completion writes the claim and the answer together', () => {
      const { store, clock } = setup()
      const { id, lease } = heldLease(store)
      expect(store.get(id)).toMatchObject({ status: 'pending', attemptCount: 0 })
      expect(store.statusCounts()).toMatchObject({ pending: 1, in_progress: 0 })
      clock.t += 40
      const changes: Changes = []
      expect(store.transaction(() => store.complete(lease, 'the answer', 40, changes))).toBe(true)
      expect(store.get(id)).toMatchObject({
        status: 'completed',
        attemptCount: 1,
        backend: 'b',
        model: 'm',
        result: 'the answer'
      })
      expect(store.row(id)).toMatchObject({
        claimed_at: Date.parse('2026-01-01T00:00:00Z'),
        latency_ms: 40,
        lease_token: null
      })
      expect(store.events(id).map((e) => [e.kind, e.attempt, e.message])).toEqual([
        ['created', 0, null],
        ['completed', 1, 'on b/m']
      ])
      expect(store.statusCounts()).toMatchObject({ pending: 0, in_progress: 0, completed: 1 })
    })

    it('is written as a running claim by the first other write of its run: a progress line, or a failure', () => {
      const { store } = setup()
      const { id, lease } = heldLease(store)
      store.transaction(() => store.progress(lease, 'half way', []))
      expect(store.get(id)).toMatchObject({ status: 'in_progress', attemptCount: 1 })
      expect(store.statusCounts()).toMatchObject({ pending: 0, in_progress: 1 })
      expect(store.transaction(() => store.fail(lease, 'boom', 'other', 3, 0, []))).toBe('failed')
      expect(store.events(id).map((e) => e.kind)).toEqual(['created', 'claimed', 'progress', 'failed'])
    })

    it('is refused once its task changed since the claim: a cancelled task stays cancelled and the answer is discarded', () => {
      const { store, clock } = setup()
      const { id, lease } = heldLease(store)
      clock.t += 5
      store.transaction(() => store.cancel(id, []))
      expect(store.transaction(() => store.complete(lease, 'the answer', 5, []))).toBe(false)
      expect(store.transaction(() => store.announce(lease, []))).toBe(false)
      expect(store.get(id)).toMatchObject({ status: 'cancelled', attemptCount: 0, result: null })
      expect(store.statusCounts()).toMatchObject({ pending: 0, in_progress: 0, cancelled: 1 })
    })

    it('is held again when the transaction that wrote it rolls back, and written once after', () => {
      const { store } = setup()
      const { id, lease } = heldLease(store)
      expect(() =>
        store.transaction(() => {
          store.complete(lease, 'the answer', 5, [])
          throw new Error('SQLITE_FULL: database or disk is full')
        })
      ).toThrow(/SQLITE_FULL/)
      expect(lease.held).not.toBeNull()
      expect(store.get(id)).toMatchObject({ status: 'pending', attemptCount: 0 })
      expect(store.transaction(() => store.complete(lease, 'the answer', 5, []))).toBe(true)
      expect(store.get(id)).toMatchObject({ status: 'completed', attemptCount: 1 })
    })

    it('has nothing to give back at shutdown: its task is pending as it was, with no event', () => {
      const { store } = setup()
      const { id, lease } = heldLease(store)
      expect(store.transaction(() => store.release(lease, 'shutdown', []))).toBe(true)
      expect(store.get(id)).toMatchObject({ status: 'pending', attemptCount: 0 })
      expect(store.events(id).map((e) => e.kind)).toEqual(['created'])
    })
  })

  it('discards a late result from a run whose lease lapsed, keeping the newer attempt’s', () => {
    const { store } = setup()
    const created = store.create(newTask())
    if (!created.ok) throw new Error('not created')
    const id = created.task.id
    const old = store.claim(id, 'dead-process', 'b', 'm', 3, [])
    if (!old) throw new Error('not claimed')
    expect(store.reclaimLapsed('me', 0, 3, []).map((l) => l.taskId)).toEqual([id])
    const fresh = store.claim(id, 'me', 'b', 'm', 3, [])
    if (!fresh) throw new Error('not reclaimed')
    // The dead process's run was interrupted, not failed: its attempt was given back.
    expect(fresh.attempt).toBe(1)
    expect(store.complete(old, 'late answer from the lapsed run', 10, [])).toBe(false)
    expect(store.complete(fresh, 'the newer answer', 10, [])).toBe(true)
    expect(store.complete(fresh, 'again', 10, [])).toBe(false)
    expect(store.get(id)?.result).toBe('the newer answer')
  })

  it('retries a failed attempt later, then defers to manual review, and a return keeps the error history', () => {
    const { store, clock } = setup()
    const created = store.create(newTask())
    if (!created.ok) throw new Error('not created')
    const id = created.task.id
    for (let attempt = 1; attempt <= 2; attempt++) {
      const lease = store.claim(id, 'me', 'b', 'm', 2, [])
      if (!lease) throw new Error(`attempt ${attempt} not claimed`)
      const status = store.fail(lease, `boom ${attempt}`, 'connection_error', 2, clock.t + 90_000, [])
      expect(status).toBe(attempt < 2 ? 'failed' : 'deferred_to_human')
      if (attempt === 1) {
        expect(store.candidates(10, 2)).toEqual([])
        clock.t += 90_000
        expect(store.candidates(10, 2).map((r) => r.id)).toEqual([id])
      }
    }
    const deferred = store.get(id)
    expect(deferred).toMatchObject({
      status: 'deferred_to_human',
      attemptCount: 2,
      lastError: 'boom 2',
      errorType: 'connection_error'
    })
    expect(store.requeue('all_deferred', [])).toEqual([id])
    expect(store.get(id)).toMatchObject({ status: 'pending', attemptCount: 0 })
    const kinds = store.events(id).map((e) => e.kind)
    expect(kinds).toEqual(['created', 'claimed', 'failed', 'claimed', 'failed', 'deferred', 'requeued'])
    expect(
      store
        .events(id)
        .filter((e) => e.kind === 'failed')
        .map((e) => e.message)
    ).toEqual(['boom 1', 'boom 2'])
    expect(store.counters().deferredByErrorType.connection_error).toBe(1)
    expect(store.counters().deferredToHumanTotal).toBe(1)
  })

  it('refuses a duplicate for the same expert within 30 days with the existing id, and allows it after', () => {
    const { store, clock } = setup()
    const first = store.create(newTask({ dedupKey: 'same' }))
    if (!first.ok) throw new Error('not created')
    expect(store.create(newTask({ dedupKey: 'same' }))).toEqual({
      ok: false,
      reason: 'duplicate',
      existingId: first.task.id,
      existingStatus: 'pending'
    })
    clock.t += 31 * 86_400_000
    expect(store.create(newTask({ dedupKey: 'same' })).ok).toBe(true)
  })

  it('a cancelled task does not block the same task from being created again', () => {
    const { store } = setup()
    const first = store.create(newTask({ dedupKey: 'k' }))
    if (!first.ok) throw new Error('not created')
    expect(store.cancel(first.task.id, [])?.status).toBe('cancelled')
    expect(store.cancel(first.task.id, [])).toBeNull()
    expect(store.create(newTask({ dedupKey: 'k' })).ok).toBe(true)
  })

  it('release gives a task back without counting the interrupted attempt', () => {
    const { store } = setup()
    const created = store.create(newTask())
    if (!created.ok) throw new Error('not created')
    const lease = store.claim(created.task.id, 'me', 'b', 'm', 3, [])
    if (!lease) throw new Error('not claimed')
    expect(store.release(lease, 'shutdown', [])).toBe(true)
    expect(store.get(created.task.id)).toMatchObject({ status: 'pending', attemptCount: 0, leaseOwner: null })
  })

  it('orders claimable work by priority, then age', () => {
    const { store, clock } = setup()
    const ids: string[] = []
    for (const priority of ['low', 'urgent', 'normal', 'urgent'] as const) {
      clock.t += 1000
      const c = store.create(newTask({ priority }))
      if (c.ok) ids.push(c.task.id)
    }
    expect(store.candidates(10, 3).map((r) => r.id)).toEqual([ids[1], ids[3], ids[2], ids[0]])
  })

  it('a failed transaction leaves neither the row change nor its event', () => {
    const { store, db } = setup()
    const created = store.create(newTask())
    if (!created.ok) throw new Error('not created')
    const before = (db.prepare('SELECT COUNT(*) AS n FROM task_events').get() as { n: number }).n
    expect(() =>
      store.transaction(() => {
        store.cancel(created.task.id, [])
        throw new Error('crash in the middle')
      })
    ).toThrow('crash in the middle')
    expect(store.get(created.task.id)?.status).toBe('pending')
    expect((db.prepare('SELECT COUNT(*) AS n FROM task_events').get() as { n: number }).n).toBe(before)
  })

  it('lists with filters, search and facets', () => {
    const { store } = setup()
    store.create(newTask({ title: 'Alpha research', domain: 'science', assigneeExpert: 'x' }))
    store.create(newTask({ title: 'Beta 100% done', domain: 'ops', assigneeExpert: 'y' }))
    expect(store.list({ limit: 10 }).total).toBe(2)
    expect(store.list({ domain: 'ops', limit: 10 }).tasks.map((t) => t.title)).toEqual(['Beta 100% done'])
    expect(store.list({ search: '100%', limit: 10 }).tasks.map((t) => t.title)).toEqual(['Beta 100% done'])
    expect(store.list({ search: 'alpha', limit: 10 }).total).toBe(1)
    expect(store.list({ limit: 10 }).facets).toEqual({ experts: ['x', 'y'], domains: ['ops', 'science'], backends: [] })
  })

  it('names a backend among the filter choices once a task is claimed on it, and filters by every status', () => {
    const { store } = setup()
    const ids = ['One', 'Two', 'Three', 'Four'].map((title) => {
      const created = store.create(newTask({ title }))
      if (!created.ok) throw new Error('not created')
      return created.task.id
    })
    expect(store.list({ limit: 10 }).facets?.backends).toEqual([])
    const [one, two, three, four] = ids as [string, string, string, string]
    const onMlx = store.claim(one, 'me', 'mlx-local', 'phi', 3, [])
    const onOllama = store.claim(two, 'me', 'ollama-local', 'qwen', 3, [])
    store.claim(three, 'me', 'ollama-local', 'qwen', 3, [])
    if (!onMlx || !onOllama) throw new Error('not claimed')
    store.complete(onMlx, 'done', 5, [])
    store.fail(onOllama, 'boom', 'other', 1, Date.now(), [])
    store.cancel(four, [])
    expect(store.list({ limit: 10 }).facets?.backends).toEqual(['mlx-local', 'ollama-local'])
    const titles = (status: TaskStatus) => store.list({ status, limit: 10 }).tasks.map((t) => t.title)
    expect({
      completed: titles('completed'),
      deferred: titles('deferred_to_human'),
      running: titles('in_progress'),
      cancelled: titles('cancelled'),
      pending: titles('pending'),
      failed: titles('failed')
    }).toEqual({
      completed: ['One'],
      deferred: ['Two'],
      running: ['Three'],
      cancelled: ['Four'],
      pending: [],
      failed: []
    })
    expect(
      store
        .list({ backend: 'ollama-local', limit: 10 })
        .tasks.map((t) => t.title)
        .sort()
    ).toEqual(['Three', 'Two'])
  })
})

describe('task store: stuck runs', () => {
  const tempDir = useTempDirs()

  it('resets a run whose heartbeat is older than the stuck limit, counting the attempt, and defers it when attempts are spent', () => {
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') }
    const store = createTaskStore(migratedDb(tempDir()), () => clock.t)
    const created = store.create(newTask())
    if (!created.ok) throw new Error('not created')
    const id = created.task.id
    const STUCK = 15 * 60_000
    const first = store.claim(id, 'me', 'b', 'm', 2, [])
    if (!first) throw new Error('not claimed')
    clock.t += STUCK - 1000
    store.heartbeat([first])
    clock.t += STUCK - 1000
    expect(store.reclaimLapsed('me', clock.t - STUCK, 2, [])).toEqual([])
    clock.t += 2000
    const changes: Changes = []
    expect(store.reclaimLapsed('me', clock.t - STUCK, 2, changes).map((l) => l.taskId)).toEqual([id])
    expect(changes).toMatchObject([{ kind: 'requeued', errorType: 'timeout', attempt: 1 }])
    expect(store.get(id)).toMatchObject({ status: 'pending', attemptCount: 1, errorType: 'timeout' })
    expect(store.heartbeat([first]).map((l) => l.taskId)).toEqual([id])
    const second = store.claim(id, 'me', 'b', 'm', 2, [])
    if (!second) throw new Error('not reclaimed')
    clock.t += STUCK + 1
    store.reclaimLapsed('me', clock.t - STUCK, 2, [])
    expect(store.get(id)).toMatchObject({ status: 'deferred_to_human', attemptCount: 2, errorType: 'timeout' })
  })
})
