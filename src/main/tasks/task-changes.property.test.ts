import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { migratedDb } from './testing/test-engine'
import { taskInsert } from './testing/task-insert'
import { createTaskStore, type Changes, type Lease } from './task-store'
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './task-row'
import { TASK_STATUSES, type TaskStatus, type TaskStatusCounts } from '../../shared/contract/tasks-contract'

const MAX_ATTEMPTS = 2

type Op =
  | { kind: 'create'; metadata: Record<string, unknown> }
  | { kind: 'claim'; task: number }
  | { kind: 'claimCandidates'; count: number; hold: boolean }
  | { kind: 'complete' | 'fail' | 'wait' | 'release' | 'progress' | 'announce'; lease: number }
  | { kind: 'cancel' | 'giveBack'; task: number }
  | { kind: 'requeue' }
  | { kind: 'reclaim'; owner: 'A' | 'B'; maxAttempts: number }
  | { kind: 'tick'; ms: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      metadata: fc.dictionary(fc.string(), fc.jsonValue())
    }),
    weight: 3
  },
  { arbitrary: fc.record({ kind: fc.constant('claim' as const), task: fc.nat(12) }), weight: 3 },
  // As the pool claims: the candidates read in the group's transaction, claimed together; the first held, as a quick run's.
  {
    arbitrary: fc.record({
      kind: fc.constant('claimCandidates' as const),
      count: fc.integer({ min: 1, max: 4 }),
      hold: fc.boolean()
    }),
    weight: 2
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'complete' as const,
        'fail' as const,
        'wait' as const,
        'release' as const,
        'progress' as const,
        'announce' as const
      ),
      lease: fc.nat(30)
    }),
    weight: 5
  },
  {
    arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'giveBack' as const), task: fc.nat(12) }),
    weight: 1
  },
  { arbitrary: fc.constant({ kind: 'requeue' as const }), weight: 1 },
  // A start after a crash (owner B: A's leases are a dead process's), or A's own sweep of stuck runs; a maximum of 1
  // also puts pending tasks out of attempts aside.
  {
    arbitrary: fc.record({
      kind: fc.constant('reclaim' as const),
      owner: fc.constantFrom('A' as const, 'B' as const),
      maxAttempts: fc.integer({ min: 1, max: MAX_ATTEMPTS })
    }),
    weight: 1
  },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 5_000 }) }), weight: 1 }
)

describe('tasks.changed of a group commit', () => {
  const tempDir = useTempDirs()

  it('describes every task a group touched exactly as a re-read at commit finds it, whatever mix of writes touched it, with counts by status equal to counting the rows, and a create gives back the task as stored', () => {
    const db = migratedDb(tempDir())
    fc.assert(
      fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 8 }), (groups) => {
        db.exec('DELETE FROM task_events; DELETE FROM tasks')
        const clock = { t: Date.parse('2026-03-01T00:00:00Z') }
        const store = createTaskStore(db, () => clock.t)
        const reread = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tasks WHERE id = ?`)
        const countByStatus = db.prepare('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status')
        const countedByStatus = (): TaskStatusCounts => {
          const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>
          for (const { status, n } of countByStatus.all() as { status: TaskStatus; n: number }[]) counts[status] = n
          return counts
        }
        const ids: string[] = []
        const leases: Lease[] = []
        const pick = <T>(list: readonly T[], n: number): T | undefined => list[n % Math.max(1, list.length)]
        for (const group of groups) {
          // Every write of a group in one transaction, as the pool commits them, one task touched by several of them.
          store.transaction(() => {
            const changes: Changes = []
            for (const o of group) {
              switch (o.kind) {
                case 'create': {
                  const made = store.insert(
                    taskInsert({ title: `t${ids.length}`, dedupKey: `k${ids.length}`, metadata: o.metadata }),
                    30,
                    changes
                  )
                  if (!made.ok) throw new Error('not created')
                  expect(made.task).toEqual(store.get(made.task.id))
                  ids.push(made.task.id)
                  break
                }
                case 'claim': {
                  const id = pick(ids, o.task)
                  const lease = id ? store.claim(id, 'A', 'b', 'm', MAX_ATTEMPTS, changes) : null
                  if (lease) leases.push(lease)
                  break
                }
                case 'claimCandidates': {
                  const picks = store.candidates(o.count, MAX_ATTEMPTS).map((row, i) => ({
                    row,
                    backend: 'b',
                    model: `m${i}`,
                    ahead: i > 0,
                    hold: o.hold && i === 0 ? { updatedAt: row.updated_at } : null
                  }))
                  leases.push(...store.claimMany(picks, 'A', MAX_ATTEMPTS, changes))
                  break
                }
                case 'cancel':
                case 'giveBack': {
                  const id = pick(ids, o.task)
                  if (id && o.kind === 'cancel') store.cancel(id, changes)
                  else if (id) store.giveBack(id, 'the backend failed, not the task', clock.t, changes)
                  break
                }
                case 'requeue':
                  store.requeue('all_deferred', changes)
                  break
                case 'reclaim':
                  store.reclaimLapsed(o.owner, clock.t - 1_000, o.maxAttempts, changes)
                  break
                case 'tick':
                  clock.t += o.ms
                  break
                default: {
                  const lease = pick(leases, o.lease)
                  if (!lease) break
                  if (o.kind === 'complete') store.complete(lease, 'an answer', 5, changes)
                  else if (o.kind === 'fail') store.fail(lease, 'boom', 'other', MAX_ATTEMPTS, clock.t + 1_000, changes)
                  else if (o.kind === 'wait')
                    store.wait(lease, 'backend down', 'server_error', clock.t + 1_000, changes)
                  else if (o.kind === 'release') store.release(lease, 'shutdown', changes)
                  else if (o.kind === 'announce') store.announce(lease, changes)
                  else store.progress(lease, 'half way', changes)
                }
              }
            }
            const described = store.describeChanges(changes)
            const touched = [...new Set(changes.map((c) => c.taskId))]
            expect(described.tasks).toEqual(touched.map((id) => toSummary(reread.get(id) as SummaryRow)))
            expect(described.counts).toEqual(store.statusCounts())
            expect(described.counts).toEqual(countedByStatus())
          })
          // Committed too: the counts the transaction wrote at its end are the rows' statuses.
          expect(store.statusCounts()).toEqual(countedByStatus())
        }
      }),
      { numRuns: 120 }
    )
    db.close()
  })
})
