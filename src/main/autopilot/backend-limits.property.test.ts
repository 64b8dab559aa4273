import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NodeLimitOverride } from '../../shared/backend-limits'
import type { ProcessingPlan } from '../ports/task-processor'
import { pickTasks, schedulerMemory, type SchedulableTask } from '../tasks/scheduler'
import { testConfig } from '../tasks/testing/test-config'
import { createBackendLimits, type LimitedNode } from './backend-limits'

const KINDS = ['ollama', 'openai', 'embedded'] as const

const own: fc.Arbitrary<NodeLimitOverride | null> = fc.option(
  fc.record({
    maxConcurrent: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
    maxHeavy: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null })
  }),
  { nil: null }
)
const node = fc.record({ kind: fc.constantFrom(...KINDS), up: fc.boolean(), own })
const settings = fc.record({
  'ollama.maxHeavy': fc.integer({ min: 1, max: 3 }),
  'ollama.maxConcurrent': fc.integer({ min: 0, max: 4 }),
  'mlx.maxHeavy': fc.integer({ min: 1, max: 3 }),
  'mlx.maxConcurrent': fc.integer({ min: 0, max: 4 }),
  'worker.heavyPerBackend': fc.integer({ min: 1, max: 3 })
})
const round = fc.record({
  arrivals: fc.array(fc.record({ node: fc.nat(), heavy: fc.boolean(), rank: fc.integer({ min: 0, max: 3 }) }), {
    maxLength: 10
  }),
  finished: fc.array(fc.nat(), { maxLength: 4 }),
  free: fc.integer({ min: 0, max: 8 })
})

/** The cap a node must run under, said directly: its own value where set (0 = none), else its kind's setting. */
function expected(n: LimitedNode, s: Record<string, number>): { total: number | null; heavy: number } {
  const kindTotal = n.kind === 'ollama' ? s['ollama.maxConcurrent'] : n.kind === 'openai' ? s['mlx.maxConcurrent'] : 0
  const kindHeavy =
    n.kind === 'ollama' ? s['ollama.maxHeavy'] : n.kind === 'openai' ? s['mlx.maxHeavy'] : s['worker.heavyPerBackend']
  const total = n.own?.maxConcurrent ?? kindTotal ?? 0
  return { total: total > 0 ? total : null, heavy: n.own?.maxHeavy ?? (kindHeavy as number) }
}

describe('the scheduler under per-node caps (property)', () => {
  it('never runs more on a node than its own cap, or its kind’s where it has none (MLX one at a time by default), and fills every slot something fits', () => {
    fc.assert(
      fc.property(
        fc.array(node, { minLength: 1, maxLength: 5 }),
        settings,
        fc.array(round, { minLength: 1, maxLength: 20 }),
        (raw, values, rounds) => {
          const nodes: LimitedNode[] = raw.map((n, i) => ({ id: `node-${i}`, ...n }))
          const limits = createBackendLimits({ nodes: () => nodes, config: testConfig(values) })
          const memory = schedulerMemory()
          let waiting: SchedulableTask<number>[] = []
          let running: ProcessingPlan[] = []
          let next = 0
          for (const r of rounds) {
            for (const a of r.arrivals)
              waiting.push({
                item: next++,
                rank: a.rank,
                plan: { backend: `node-${a.node % nodes.length}`, model: 'm', heavy: a.heavy }
              })
            for (const i of r.finished) if (running.length > 0) running.splice(i % running.length, 1)
            waiting.sort((a, b) => b.rank - a.rank || a.item - b.item)
            const picks = pickTasks(waiting, running, r.free, { heavyPerBackend: 1, of: limits.of }, memory)
            running = [...running, ...picks.map((p) => p.plan)]
            const picked = new Set(picks)
            waiting = waiting.filter((c) => !picked.has(c))
            for (const n of nodes) {
              const cap = expected(n, values)
              const on = running.filter((p) => p.backend === n.id)
              if (cap.total !== null) expect(on.length).toBeLessThanOrEqual(cap.total)
              expect(on.filter((p) => p.heavy).length).toBeLessThanOrEqual(cap.heavy)
              if (n.kind === 'openai' && n.own === null && values['mlx.maxConcurrent'] === 1)
                expect(on.length).toBeLessThanOrEqual(1)
            }
            if (picks.length < r.free)
              for (const c of waiting) {
                const n = nodes.find((x) => x.id === c.plan.backend) as LimitedNode
                const cap = expected(n, values)
                const on = running.filter((p) => p.backend === n.id)
                const full =
                  (cap.total !== null && on.length >= cap.total) ||
                  (c.plan.heavy && on.filter((p) => p.heavy).length >= cap.heavy)
                expect(full).toBe(true)
              }
          }
          // The adaptive controller's ceiling: what the nodes up take together, unbounded when one of them is.
          const up = nodes.filter((n) => n.up).map((n) => expected(n, values).total)
          expect(limits.capacity()).toBe(
            up.length === 0 || up.includes(null) ? null : up.reduce((a, b) => (a as number) + (b as number), 0)
          )
        }
      )
    )
  })
})
