import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { matchesId, matchesTerms, searchTerms } from '../../shared/task-search'
import { useTempDirs } from '../test-support/temp-dir'
import { migratedDb } from './testing/test-engine'
import { createStatusCounts } from './task-changes'
import { createTaskList } from './task-list'
import { createTaskStore } from './task-store'
import { taskInsert } from './testing/task-insert'

const WORDS = ['Résumé', 'resume', 'report', 'Q3', 'rapport', 'отчёт', 'Отчет', 'plan', 'planning', 'naïve', 'x-ray']
const text = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '))
const search = fc.oneof(
  fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 2 }).map((w) => w.join(' ')),
  // Typed as far as the start of a word, in any case, with punctuation around it.
  fc
    .tuple(fc.constantFrom(...WORDS), fc.integer({ min: 1, max: 4 }), fc.boolean())
    .map(([w, n, upper]) => `  "${upper ? w.slice(0, n).toUpperCase() : w.slice(0, n)}…`),
  fc.constantFrom('***', 'AND', 'NOT plan', 'report OR plan', '"', 'plan*')
)

describe('tasks.list search', () => {
  const tempDir = useTempDirs()

  it('finds exactly the tasks whose title or description has every word searched (the last as a prefix), or whose id it is, newest first, whether it sorts the matches or walks the list', () => {
    const db = migratedDb(tempDir())
    const counts = createStatusCounts(db)
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            title: text,
            description: text,
            domain: fc.constantFrom('a', 'b', null),
            expert: fc.constantFrom('writer', 'coder', null)
          }),
          {
            minLength: 1,
            maxLength: 25
          }
        ),
        fc.oneof(search, fc.constant('<id>'), fc.constant('<id prefix>')),
        fc.constantFrom(undefined, 'a'),
        fc.constantFrom(0, 5_000),
        (tasks, typed, domain, sortAtMost) => {
          db.exec('DELETE FROM task_events; DELETE FROM tasks')
          const clock = { t: Date.parse('2026-03-01T00:00:00Z') }
          const store = createTaskStore(db, () => clock.t)
          const ids: string[] = []
          tasks.forEach((t, i) => {
            clock.t += i % 3
            const made = store.create(
              taskInsert({
                title: t.title,
                description: t.description,
                domain: t.domain,
                assigneeExpert: t.expert,
                dedupKey: `k${i}`
              })
            )
            if (made.ok) ids.push(made.task.id)
          })
          const named = ids[ids.length >> 1] ?? 'none'
          const query = typed === '<id>' ? named : typed === '<id prefix>' ? named.slice(0, 8) : typed
          const terms = searchTerms(query)
          const expected = (
            db.prepare('SELECT id, title, description, domain, created_at FROM tasks').all() as {
              id: string
              title: string
              description: string
              domain: string
              created_at: number
            }[]
          )
            .filter((r) => domain === undefined || r.domain === domain)
            .filter((r) => matchesId(r.id, query) || matchesTerms(`${r.title} ${r.description}`, terms))
            .sort((x, y) => y.created_at - x.created_at || (x.id < y.id ? 1 : -1))
            .map((r) => r.id)
          const list = createTaskList(db, counts, () => new Set(), sortAtMost)
          const seen: string[] = []
          let page = list({ search: query, ...(domain ? { domain } : {}), limit: 3 })
          expect(page.total).toBe(expected.length)
          seen.push(...page.tasks.map((t) => t.id))
          while (page.nextCursor !== null) {
            page = list({ search: query, ...(domain ? { domain } : {}), cursor: page.nextCursor, limit: 3 })
            seen.push(...page.tasks.map((t) => t.id))
          }
          expect(seen).toEqual(expected)
          if (typed.startsWith('<id') && domain === undefined) expect(seen).toContain(named)
          // Filtered by expert or domain alone, the total comes from the counts migration 0017 keeps.
          const count = (sql: string, value: string): number =>
            (db.prepare(sql).pluck().get(value) as number | undefined) ?? 0
          for (const expert of ['writer', 'coder', 'nobody'])
            expect(list({ expert, limit: 3 }).total).toBe(
              count('SELECT COUNT(*) FROM tasks WHERE assignee_expert = ?', expert)
            )
          for (const d of ['a', 'b'])
            expect(list({ domain: d, limit: 3 }).total).toBe(count('SELECT COUNT(*) FROM tasks WHERE domain = ?', d))
        }
      ),
      { numRuns: 150 }
    )
    db.close()
  })

  it('keeps the index in step with the table: a deleted task is no longer found', () => {
    const db = migratedDb(tempDir())
    const store = createTaskStore(db)
    const made = store.create(
      taskInsert({ title: 'Quarterly report', description: 'Summarise the quarter.', dedupKey: 'k' })
    )
    if (!made.ok) throw new Error('not created')
    expect(store.list({ search: 'quart', limit: 10 }).tasks.map((t) => t.id)).toEqual([made.task.id])
    db.prepare('DELETE FROM task_events WHERE task_id = ?').run(made.task.id)
    db.prepare('DELETE FROM tasks WHERE id = ?').run(made.task.id)
    expect(store.list({ search: 'quart', limit: 10 })).toMatchObject({ tasks: [], total: 0 })
    // FTS5's own check of the index against the table throws if they differ.
    expect(() => db.prepare("INSERT INTO tasks_fts (tasks_fts) VALUES ('integrity-check')").run()).not.toThrow()
    db.close()
  })
})
