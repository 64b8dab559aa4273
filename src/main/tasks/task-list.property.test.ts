import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { migratedDb } from './testing/test-engine'
import { createTaskStore } from './task-store'

type Op =
  | { kind: 'insert'; count: number; domain: 'a' | 'b' }
  | { kind: 'tick'; ms: number }
  | { kind: 'page'; limit: number }
  | { kind: 'complete' }

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      count: fc.integer({ min: 1, max: 6 }),
      domain: fc.constantFrom('a' as const, 'b' as const)
    }),
    weight: 3
  },
  // Often no time passes: many tasks share a millisecond, so the id decides their order.
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.constantFrom(0, 1, 2, 1000) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('page' as const), limit: fc.integer({ min: 1, max: 7 }) }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'complete' as const }), weight: 1 }
)

describe('tasks.list pages under concurrent inserts', () => {
  const tempDir = useTempDirs()

  it('walking the pages from a first page returns every task that existed then exactly once, newest first, and none created after it', () => {
    // One database for every run, emptied before each: migrating a new one per run would be most of the test's time.
    const db = migratedDb(tempDir())
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 60 }),
        fc.constantFrom(undefined, 'a' as const),
        (ops, domain) => {
          db.exec('DELETE FROM task_events; DELETE FROM tasks')
          const clock = { t: Date.parse('2026-03-01T00:00:00Z') }
          const store = createTaskStore(db, () => clock.t)
          let made = 0
          // The list as a person reading it at the first page should see it: every matching task, newest first, computed here without the list's SQL.
          const snapshot = (): string[] =>
            (
              db.prepare('SELECT id, created_at, domain FROM tasks').all() as {
                id: string
                created_at: number
                domain: string
              }[]
            )
              .filter((r) => domain === undefined || r.domain === domain)
              .sort((x, y) => y.created_at - x.created_at || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0))
              .map((r) => r.id)
          let walk: { expected: string[]; seen: string[]; cursor: string } | null = null
          const page = (limit: number): void => {
            const result = store.list({
              ...(domain ? { domain } : {}),
              ...(walk ? { cursor: walk.cursor } : {}),
              limit
            })
            if (!walk) {
              const expected = snapshot()
              expect(result.total).toBe(expected.length)
              expect(result.facets).not.toBeNull()
              walk = { expected, seen: [], cursor: '' }
            } else {
              expect(result.total).toBeNull()
              expect(result.facets).toBeNull()
            }
            expect(result.tasks.length).toBeLessThanOrEqual(limit)
            walk.seen.push(...result.tasks.map((t) => t.id))
            if (result.nextCursor === null) {
              expect(walk.seen).toEqual(walk.expected)
              walk = null
            } else {
              walk.cursor = result.nextCursor
            }
          }
          for (const o of ops) {
            if (o.kind === 'insert') {
              for (let i = 0; i < o.count; i++) {
                const outcome = store.create({
                  title: `t${made}`,
                  description: 'd',
                  domain: o.domain,
                  priority: 'normal',
                  assigneeExpert: null,
                  parentTaskId: null,
                  preferredBackend: null,
                  preferredModel: null,
                  metadata: {},
                  batchGroup: null,
                  dedupKey: `k${made}`
                })
                made++
                if (!outcome.ok) throw new Error('not created')
              }
            } else if (o.kind === 'tick') clock.t += o.ms
            else if (o.kind === 'complete') {
              // A status change does not move a task in the list.
              const pending = store.candidates(1, 3)[0]
              if (pending) {
                const lease = store.claim(pending.id, 'me', 'b', 'm', 3, [])
                if (lease) store.complete(lease, 'done', 1, [])
              }
            } else page(o.limit)
          }
          while (walk) page(7)
        }
      ),
      { numRuns: 100 }
    )
    db.close()
  })
})
