import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import { dedupKeyNow } from '../tasks/dedup-key'
import { createTaskStore, type Changes, type Lease } from '../tasks/task-store'
import { migratedDb } from '../tasks/testing/test-engine'
import { createPredictiveMonitor, SRE_EXPERT, type MonitorThresholds, type SreTasks } from './predictive-monitor'
import { createQueueProbe } from './queue-probe'

const MIN = 60_000
const DEFAULTS: MonitorThresholds = {
  stalledRunningCount: 5,
  stalledRunningMinutes: 15,
  oldPendingCount: 30,
  oldPendingMinutes: 60
}

describe('predictive monitor', () => {
  const tempDir = useTempDirs()

  function setup(thresholds: MonitorThresholds = DEFAULTS) {
    const clock = { t: Date.parse('2026-03-01T08:00:00Z') }
    const db = migratedDb(tempDir())
    const store = createTaskStore(db, () => clock.t)
    const closed: string[] = []
    let n = 0
    const add = (title = `Task ${++n}`, metadata: Record<string, unknown> = {}, expert: string | null = 'analyst') => {
      const description = `Work item ${n} with enough words.`
      const created = store.create({
        title,
        description,
        domain: null,
        priority: 'normal',
        assigneeExpert: expert,
        parentTaskId: null,
        preferredBackend: null,
        preferredModel: null,
        metadata,
        batchGroup: null,
        dedupKey: dedupKeyNow(title, description, expert)
      })
      if (!created.ok) throw new Error(`not created: ${created.reason}`)
      return created.task.id
    }
    const sre: SreTasks = {
      async file(task) {
        const description = task.description
        const created = store.create({
          title: task.title,
          description,
          domain: 'sre',
          priority: 'urgent',
          assigneeExpert: SRE_EXPERT,
          parentTaskId: null,
          preferredBackend: null,
          preferredModel: null,
          metadata: task.metadata,
          batchGroup: null,
          dedupKey: dedupKeyNow(task.title, description, SRE_EXPERT)
        })
        if (!created.ok) throw new Error(created.reason)
        return created.task.id
      },
      async close(id) {
        closed.push(id)
        store.cancel(id, [])
      }
    }
    const { logger, records } = memoryLogger()
    const monitor = createPredictiveMonitor({
      probe: createQueueProbe(db),
      tasks: sre,
      thresholds: () => thresholds,
      now: () => clock.t,
      log: logger
    })
    const leases: Lease[] = []
    const run = (count: number) => {
      const changes: Changes = []
      return Array.from({ length: count }, () => {
        const lease = store.claim(add(), 'worker', 'ollama', 'm', 3, changes)
        if (!lease) throw new Error('not claimed')
        leases.push(lease)
        return lease.taskId
      })
    }
    const sreTasks = () =>
      db
        .prepare("SELECT id, status, description FROM tasks WHERE assignee_expert = 'SRE' ORDER BY created_at")
        .all() as { id: string; status: string; description: string }[]
    return { clock, db, store, monitor, add, run, leases, closed, records, sreTasks }
  }

  it('stays clear with 4 running tasks silent for 20 min: one under the count threshold', async () => {
    const { clock, monitor, run, sreTasks } = setup()
    run(4)
    clock.t += 20 * MIN
    expect((await monitor.check()).state).toBe('clear')
    expect(sreTasks()).toEqual([])
    expect(monitor.health().level).toBe('ok')
  })

  it('stays clear with 5 running tasks silent for 14 min: under the time threshold', async () => {
    const { clock, monitor, run } = setup()
    run(5)
    clock.t += 14 * MIN
    expect((await monitor.check()).state).toBe('clear')
  })

  it('files one SRE task naming the 5 stalled tasks and since when, once they are silent for 15 min', async () => {
    const { clock, monitor, run, sreTasks } = setup()
    const claimedAt = clock.t
    const ids = run(5)
    clock.t += 15 * MIN + 1
    const verdict = await monitor.check()
    expect(verdict).toMatchObject({ state: 'alert', filed: true })
    const [task] = sreTasks()
    expect(task?.status).toBe('pending')
    for (const id of ids) expect(task?.description).toContain(id)
    expect(task?.description).toContain(`last updated ${new Date(claimedAt).toISOString()}`)
    expect(task?.description).toContain('5 running tasks without an update for over 15 min (threshold 5)')
    expect(monitor.health()).toMatchObject({ level: 'degraded' })
  })

  it('counts a heartbeat as an update: a task that beats is not stalled', async () => {
    const { clock, monitor, store, run, leases } = setup()
    run(5)
    clock.t += 10 * MIN
    expect(store.heartbeat(leases.slice(0, 1))).toEqual([])
    clock.t += 6 * MIN
    expect((await monitor.check()).state).toBe('clear')
    clock.t += 10 * MIN
    expect((await monitor.check()).state).toBe('alert')
  })

  it('files for 30 tasks pending over an hour, not for 29, and not for 30 only 59 min old', async () => {
    const young = setup()
    for (let i = 0; i < 30; i++) young.add()
    young.clock.t += 59 * MIN
    expect((await young.monitor.check()).state).toBe('clear')

    const few = setup()
    for (let i = 0; i < 29; i++) few.add()
    few.clock.t += 61 * MIN
    expect((await few.monitor.check()).state).toBe('clear')

    const many = setup()
    const first = many.add()
    for (let i = 0; i < 29; i++) many.add()
    many.clock.t += 61 * MIN
    const verdict = await many.monitor.check()
    expect(verdict.state).toBe('alert')
    expect(many.sreTasks()[0]?.description).toContain('30 tasks pending for over 60 min (threshold 30)')
    expect(many.sreTasks()[0]?.description).toContain(first)
  })

  it('follows the thresholds from settings', async () => {
    const { clock, monitor, run } = setup({
      stalledRunningCount: 2,
      stalledRunningMinutes: 5,
      oldPendingCount: 30,
      oldPendingMinutes: 60
    })
    run(2)
    clock.t += 6 * MIN
    expect((await monitor.check()).state).toBe('alert')
  })

  it('keeps one SRE task however often the condition is checked, concurrently or not, and updates its evidence', async () => {
    const { clock, monitor, run, sreTasks } = setup()
    run(5)
    clock.t += 16 * MIN
    const [a, b] = await Promise.all([monitor.check(), monitor.check()])
    expect(a).toEqual(b)
    for (let i = 0; i < 5; i++) {
      clock.t += 15 * MIN
      run(1)
      const verdict = await monitor.check()
      expect(verdict).toMatchObject({ state: 'alert', filed: false })
    }
    expect(sreTasks()).toHaveLength(1)
  })

  it('finds its open SRE task again after a restart instead of filing a second', async () => {
    const first = setup()
    first.run(5)
    first.clock.t += 16 * MIN
    await first.monitor.check()
    const restarted = createPredictiveMonitor({
      probe: createQueueProbe(first.db),
      tasks: { file: () => Promise.reject(new Error('must not file twice')), close: () => Promise.resolve() },
      thresholds: () => DEFAULTS,
      now: () => first.clock.t,
      log: memoryLogger().logger
    })
    expect(await restarted.check()).toMatchObject({ state: 'alert', filed: false })
  })

  it('closes the SRE task once the condition clears, and files a new one if it returns', async () => {
    const { clock, monitor, store, run, closed, sreTasks, records } = setup()
    const ids = run(5)
    clock.t += 16 * MIN
    const filed = await monitor.check()
    if (filed.state !== 'alert') throw new Error('expected an alert')
    for (const id of ids) store.cancel(id, [])
    const cleared = await monitor.check()
    expect(cleared).toMatchObject({ state: 'clear', closedTaskId: filed.taskId })
    expect(closed).toEqual([filed.taskId])
    expect(sreTasks().map((t) => t.status)).toEqual(['cancelled'])
    expect(monitor.health().level).toBe('ok')
    expect(records.some((r) => r.msg.includes('condition cleared'))).toBe(true)
    expect(await monitor.check()).toMatchObject({ state: 'clear', closedTaskId: null })

    run(5)
    clock.t += 16 * MIN
    expect(await monitor.check()).toMatchObject({ state: 'alert', filed: true })
    expect(sreTasks().map((t) => t.status)).toEqual(['cancelled', 'pending'])
  })

  it('does not count its own SRE task as waiting: the alert over old pending tasks clears once they are gone', async () => {
    const { clock, monitor, store, add, closed, sreTasks } = setup({
      ...DEFAULTS,
      oldPendingCount: 1,
      oldPendingMinutes: 1
    })
    const waiting = add()
    clock.t += 2 * MIN
    const filed = await monitor.check()
    if (filed.state !== 'alert') throw new Error('expected an alert')
    store.cancel(waiting, [])
    // The SRE task has itself been pending for over a minute by now: it waits for a person, not for the worker.
    clock.t += 2 * MIN
    expect(await monitor.check()).toMatchObject({ state: 'clear', closedTaskId: filed.taskId })
    expect(closed).toEqual([filed.taskId])
    expect(sreTasks().map((t) => t.status)).toEqual(['cancelled'])
  })

  it('tells its listeners when an alert opens and closes, so health is re-checked at once', async () => {
    const { clock, monitor, store, run } = setup()
    let changes = 0
    monitor.onChange(() => changes++)
    const ids = run(5)
    clock.t += 16 * MIN
    await monitor.check()
    await monitor.check()
    expect(changes).toBe(1)
    for (const id of ids) store.cancel(id, [])
    await monitor.check()
    expect(changes).toBe(2)
  })
})
