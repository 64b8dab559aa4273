import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { migratedDb } from './testing/test-engine'
import { createTaskStore, POISON_CRASHES, type Lease } from './task-store'
import type { TaskRow } from './task-row'
import { taskInsert } from './testing/task-insert'
import { TASK_STATUSES } from '../../shared/contract/tasks-contract'

const MAX_ATTEMPTS = 3
const STUCK_MS = 60_000

type Op =
  | { kind: 'create' }
  | { kind: 'claim'; owner: 0 | 1; task: number }
  | { kind: 'heartbeat'; lease: number }
  | { kind: 'complete'; lease: number }
  | { kind: 'fail'; lease: number }
  | { kind: 'wait'; lease: number }
  | { kind: 'giveBack'; task: number }
  | { kind: 'lapse'; survivor: 0 | 1 }
  | { kind: 'tick'; ms: number }
  | { kind: 'requeue' }
  | { kind: 'cancel'; task: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'create' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      owner: fc.constantFrom(0 as const, 1 as const),
      task: fc.nat(20)
    }),
    weight: 4
  },
  { arbitrary: fc.record({ kind: fc.constant('heartbeat' as const), lease: fc.nat(40) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('complete' as const), lease: fc.nat(40) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('fail' as const), lease: fc.nat(40) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('wait' as const), lease: fc.nat(40) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('giveBack' as const), task: fc.nat(20) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('lapse' as const), survivor: fc.constantFrom(0 as const, 1 as const) }),
    weight: 1
  },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 90_000 }) }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'requeue' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('cancel' as const), task: fc.nat(20) }), weight: 1 }
)

describe('task store under random interleavings', () => {
  const tempDir = useTempDirs()

  it('never two live leases, attempts within the maximum and true to the history, one state per task, no completion lost, counters true to the rows', () => {
    // One database for every run, emptied before each: migrating a new one per run was most of the test's time.
    const db = migratedDb(tempDir())
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
        db.exec('DELETE FROM task_events; DELETE FROM tasks')
        const clock = { t: Date.parse('2026-03-01T00:00:00Z') }
        const store = createTaskStore(db, () => clock.t)
        const ids: string[] = []
        const leases: Lease[] = []
        const accepted = new Map<string, string>()
        const owners = ['A', 'B']
        for (const o of ops) {
          switch (o.kind) {
            case 'create': {
              const made = store.create(
                taskInsert({ title: `t${ids.length}`, description: 'd', dedupKey: `k${ids.length}` })
              )
              if (made.ok) ids.push(made.task.id)
              break
            }
            case 'claim': {
              const id = ids[o.task % Math.max(1, ids.length)]
              if (!id) break
              const lease = store.claim(id, owners[o.owner] as string, 'b', 'm', MAX_ATTEMPTS, [])
              if (lease) leases.push(lease)
              break
            }
            case 'heartbeat': {
              const lease = leases[o.lease % Math.max(1, leases.length)]
              if (lease) store.heartbeat([lease])
              break
            }
            case 'complete': {
              const lease = leases[o.lease % Math.max(1, leases.length)]
              if (!lease) break
              const current = store.row(lease.taskId)
              const ok = store.complete(lease, `result of ${lease.token}`, 1, [])
              // Accepted exactly when this lease is the task's live one.
              expect(ok).toBe(current?.status === 'in_progress' && current.lease_token === lease.token)
              if (ok) {
                expect(accepted.has(lease.taskId)).toBe(false)
                accepted.set(lease.taskId, `result of ${lease.token}`)
              }
              break
            }
            case 'fail': {
              const lease = leases[o.lease % Math.max(1, leases.length)]
              if (lease) store.fail(lease, 'boom', 'other', MAX_ATTEMPTS, clock.t + 1000, [])
              break
            }
            case 'wait': {
              const lease = leases[o.lease % Math.max(1, leases.length)]
              if (lease) store.wait(lease, 'backend down', 'server_error', clock.t + 1000, [])
              break
            }
            case 'giveBack': {
              const id = ids[o.task % Math.max(1, ids.length)]
              if (id) store.giveBack(id, 'the backend failed, not the task', clock.t, [])
              break
            }
            case 'lapse':
              store.reclaimLapsed(owners[o.survivor] as string, clock.t - STUCK_MS, MAX_ATTEMPTS, [])
              break
            case 'tick':
              clock.t += o.ms
              break
            case 'requeue':
              store.requeue('all_deferred', [])
              break
            case 'cancel': {
              const id = ids[o.task % Math.max(1, ids.length)]
              if (id) store.cancel(id, [])
              break
            }
          }
          const rows = db.prepare('SELECT * FROM tasks').all() as TaskRow[]
          expect(rows).toHaveLength(ids.length)
          for (const row of rows) {
            expect(row.attempt_count).toBeLessThanOrEqual(MAX_ATTEMPTS)
            expect(row.attempt_count).toBeGreaterThanOrEqual(0)
            // One live lease at most: only the newest lease issued for a running task is accepted.
            const live = leases.filter(
              (l) => l.taskId === row.id && row.status === 'in_progress' && l.token === row.lease_token
            )
            expect(live.length).toBe(row.status === 'in_progress' ? 1 : 0)
            const result = accepted.get(row.id)
            if (result !== undefined) expect(row).toMatchObject({ status: 'completed', result })
            else expect(row.status).not.toBe('completed')
            // Attempts are counted only by claims and given back only for runs that were not the task's fault: the row agrees with its history.
            const last = db
              .prepare('SELECT attempt FROM task_events WHERE task_id = ? ORDER BY seq DESC LIMIT 1')
              .get(row.id) as { attempt: number }
            expect(row.attempt_count).toBe(last.attempt)
            expect(row.interrupted_count).toBeGreaterThanOrEqual(0)
            expect(row.interrupted_count).toBeLessThanOrEqual(POISON_CRASHES)
            const completions = (
              db
                .prepare("SELECT COUNT(*) AS n FROM task_events WHERE task_id = ? AND kind = 'completed'")
                .get(row.id) as { n: number }
            ).n
            expect(completions).toBe(row.status === 'completed' ? 1 : 0)
          }
          // The counts by status the counters give must agree with the rows themselves after any interleaving.
          const byStatus = Object.fromEntries(
            TASK_STATUSES.map((status) => [status, rows.filter((r) => r.status === status).length])
          )
          expect(store.counters().byStatus).toEqual(byStatus)
          // So must the counts by status (triggers and the status tally), which every tasks.changed carries.
          expect(store.statusCounts()).toEqual(byStatus)
        }
      }),
      { numRuns: 150 }
    )
    db.close()
  })
})
