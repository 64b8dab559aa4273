import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { BackendLimit } from '../ports/backend-limits'
import type { ProcessingPlan } from '../ports/task-processor'
import { pickTasks, schedulerMemory, type SchedulableTask } from './scheduler'

const BACKENDS = ['mlx-local', 'ollama-local', 'ollama-lab', 'embedded'] as const
const MODELS = ['small', 'coder', 'big'] as const

const candidate = fc.record({
  rank: fc.integer({ min: 0, max: 3 }),
  backend: fc.constantFrom(...BACKENDS),
  model: fc.constantFrom(...MODELS),
  heavy: fc.boolean()
})
const limit: fc.Arbitrary<BackendLimit> = fc.record({
  heavy: fc.integer({ min: 1, max: 3 }),
  total: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null })
})

/** A round of the pool: new work arrives, some running tasks finish, the free slots are filled. */
const round = fc.record({
  arrivals: fc.array(candidate, { maxLength: 12 }),
  finished: fc.array(fc.nat(), { maxLength: 4 }),
  free: fc.integer({ min: 0, max: 8 })
})

describe('scheduler under per-backend caps (property)', () => {
  it('never runs more on a backend than its caps allow, and leaves a slot free only when nothing waiting fits', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...BACKENDS), limit),
        limit,
        fc.array(round, { minLength: 1, maxLength: 25 }),
        (perBackend, fallback, rounds) => {
          const of = (backend: string): BackendLimit => perBackend[backend] ?? fallback
          const memory = schedulerMemory()
          let waiting: SchedulableTask<number>[] = []
          let running: ProcessingPlan[] = []
          let next = 0
          for (const r of rounds) {
            for (const c of r.arrivals)
              waiting.push({ item: next++, rank: c.rank, plan: { backend: c.backend, model: c.model, heavy: c.heavy } })
            for (const i of r.finished) if (running.length > 0) running.splice(i % running.length, 1)
            // The pool hands candidates in priority, then age, order.
            waiting.sort((a, b) => b.rank - a.rank || a.item - b.item)
            const picks = pickTasks(waiting, running, r.free, { heavyPerBackend: 1, of }, memory)
            expect(picks.length).toBeLessThanOrEqual(r.free)
            expect(new Set(picks).size).toBe(picks.length)
            running = [...running, ...picks.map((p) => p.plan)]
            const picked = new Set(picks)
            waiting = waiting.filter((c) => !picked.has(c))

            for (const backend of BACKENDS) {
              const cap = of(backend)
              const on = running.filter((p) => p.backend === backend)
              if (cap.total !== null) expect(on.length).toBeLessThanOrEqual(cap.total)
              expect(on.filter((p) => p.heavy).length).toBeLessThanOrEqual(cap.heavy)
            }
            if (picks.length < r.free) {
              // Work-conserving: whatever still waits would break a cap if started now.
              for (const c of waiting) {
                const on = running.filter((p) => p.backend === c.plan.backend)
                const cap = of(c.plan.backend)
                const blocked =
                  (cap.total !== null && on.length >= cap.total) ||
                  (c.plan.heavy && on.filter((p) => p.heavy).length >= cap.heavy)
                expect(blocked).toBe(true)
              }
            }
          }
        }
      ),
      { numRuns: 300 }
    )
  })

  it('runs one MLX request at a time under the defaults while Ollama takes the rest', () => {
    const of = (backend: string): BackendLimit =>
      backend === 'mlx-local' ? { heavy: 1, total: 1 } : { heavy: 1, total: null }
    const waiting: SchedulableTask<string>[] = ['m1', 'm2', 'm3', 'o1', 'o2', 'o3'].map((id) => ({
      item: id,
      rank: 1,
      plan: { backend: id.startsWith('m') ? 'mlx-local' : 'ollama-local', model: 'small', heavy: false }
    }))
    expect(
      pickTasks(waiting, [], 6, { heavyPerBackend: 1, of }, schedulerMemory())
        .map((p) => p.item)
        .sort()
    ).toEqual(['m1', 'o1', 'o2', 'o3'])
  })
})
