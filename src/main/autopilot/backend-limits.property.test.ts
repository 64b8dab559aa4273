import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NodeLimitOverride } from '../../shared/backend-limits'
import type { ProcessingPlan } from '../ports/task-processor'
import { callsOf, pickTasks, schedulerMemory, type SchedulableTask } from '../tasks/scheduler'
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
const batching = fc.record({ maxTasks: fc.integer({ min: 2, max: 6 }), maxTokens: fc.integer({ min: 10, max: 60 }) })
const round = fc.record({
  arrivals: fc.array(
    fc.record({
      node: fc.nat(),
      heavy: fc.boolean(),
      rank: fc.integer({ min: 0, max: 3 }),
      // A small task of one of two domains the processor may batch (and how many tokens it is), or one it never batches.
      batch: fc.option(
        fc.record({ key: fc.constantFrom('finance', 'legal'), tokens: fc.integer({ min: 1, max: 30 }) }),
        {
          nil: null
        }
      )
    }),
    { maxLength: 10 }
  ),
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

/** The model calls these plans make per node: a batch's tasks share one (plan.call), every other task is its own. */
const callsOn = (plans: readonly ProcessingPlan[], node: string, heavy = false): number =>
  callsOf(plans.filter((p) => p.backend === node && (!heavy || p.heavy)))

describe('the scheduler under per-node caps (property)', () => {
  it('never has more model calls in flight on a node than its own cap, or its kind’s where it has none (MLX one at a time by default), batched or not, and fills every slot something fits', () => {
    fc.assert(
      fc.property(
        fc.array(node, { minLength: 1, maxLength: 5 }),
        settings,
        batching,
        fc.array(round, { minLength: 1, maxLength: 20 }),
        (raw, values, batch, rounds) => {
          const nodes: LimitedNode[] = raw.map((n, i) => ({ id: `node-${i}`, ...n }))
          const limits = createBackendLimits({ nodes: () => nodes, config: testConfig(values) })
          const memory = schedulerMemory()
          let waiting: SchedulableTask<number>[] = []
          let running: ProcessingPlan[] = []
          let next = 0
          for (const r of rounds) {
            for (const a of r.arrivals) {
              const backend = `node-${a.node % nodes.length}`
              waiting.push({
                item: next++,
                rank: a.rank,
                plan: {
                  backend,
                  model: 'm',
                  heavy: a.heavy,
                  ...(a.batch
                    ? { batch: { key: `${backend}/m/${a.batch.key}/${a.heavy}`, tokens: a.batch.tokens, ...batch } }
                    : {})
                }
              })
            }
            // A finished task ends its call once the call's last task has ended.
            for (const i of r.finished) if (running.length > 0) running.splice(i % running.length, 1)
            waiting.sort((a, b) => b.rank - a.rank || a.item - b.item)
            const picks = pickTasks(waiting, running, r.free, { heavyPerBackend: 1, of: limits.of }, memory)
            expect(new Set(picks.map((p) => p.item)).size).toBe(picks.length)
            expect(callsOf(picks.map((p) => p.plan))).toBeLessThanOrEqual(r.free)
            // The tasks of one call: one node, one batch key, within the batch's size and tokens.
            const calls = new Map<string, SchedulableTask<number>[]>()
            for (const p of picks) if (p.plan.call) calls.set(p.plan.call.id, [...(calls.get(p.plan.call.id) ?? []), p])
            for (const members of calls.values()) {
              expect(members.length).toBeGreaterThanOrEqual(2)
              expect(members.length).toBeLessThanOrEqual(batch.maxTasks)
              expect(new Set(members.map((m) => m.plan.batch?.key)).size).toBe(1)
              expect(members.every((m) => m.plan.call?.tasks === members.length)).toBe(true)
              expect(members.reduce((sum, m) => sum + (m.plan.batch?.tokens ?? Infinity), 0)).toBeLessThanOrEqual(
                batch.maxTokens
              )
            }
            running = [...running, ...picks.map((p) => p.plan)]
            const picked = new Set(picks.map((p) => p.item))
            waiting = waiting.filter((c) => !picked.has(c.item))
            for (const n of nodes) {
              const cap = expected(n, values)
              if (cap.total !== null) expect(callsOn(running, n.id)).toBeLessThanOrEqual(cap.total)
              expect(callsOn(running, n.id, true)).toBeLessThanOrEqual(cap.heavy)
              if (n.kind === 'openai' && n.own === null && values['mlx.maxConcurrent'] === 1)
                expect(callsOn(running, n.id)).toBeLessThanOrEqual(1)
            }
            // Work-conserving: what still waits could join no call of this pick, and a call of its own would break a cap (or every free call is taken).
            const slotsLeft = callsOf(picks.map((p) => p.plan)) < r.free
            for (const c of waiting) {
              const b = c.plan.batch
              if (b)
                for (const members of calls.values()) {
                  const same = members[0]?.plan.batch?.key === b.key
                  const tokens = members.reduce((sum, m) => sum + (m.plan.batch?.tokens ?? 0), 0)
                  if (same) expect(members.length >= b.maxTasks || tokens + b.tokens > b.maxTokens).toBe(true)
                }
              if (!slotsLeft) continue
              const n = nodes.find((x) => x.id === c.plan.backend) as LimitedNode
              const cap = expected(n, values)
              const full =
                (cap.total !== null && callsOn(running, n.id) >= cap.total) ||
                (c.plan.heavy && callsOn(running, n.id, true) >= cap.heavy)
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

  it('answers a batch of 5 small tasks on an MLX node capped at one call: one call, all five picked, and nothing else beside it', () => {
    const nodes: LimitedNode[] = [{ id: 'mlx-local', kind: 'openai', up: true, own: null }]
    const limits = createBackendLimits({
      nodes: () => nodes,
      config: testConfig({ 'batching.enabled': true, 'batching.maxTasks': 5 })
    })
    expect(limits.of('mlx-local').total).toBe(1)
    expect(limits.tasksPerCall?.()).toBe(5)
    const batch = { key: 'mlx-local/m/finance', tokens: 20, maxTasks: 5, maxTokens: 1_500 }
    const waiting: SchedulableTask<string>[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((item) => ({
      item,
      rank: 1,
      plan: { backend: 'mlx-local', model: 'm', heavy: false, batch }
    }))
    const big: SchedulableTask<string> = {
      item: 'big',
      rank: 1,
      plan: { backend: 'mlx-local', model: 'm', heavy: false }
    }
    const picks = pickTasks([...waiting, big], [], 4, { heavyPerBackend: 1, of: limits.of }, schedulerMemory())
    expect(picks.map((p) => p.item)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(new Set(picks.map((p) => p.plan.call?.id)).size).toBe(1)
    expect(picks.every((p) => p.plan.call?.tasks === 5)).toBe(true)
    // While that call runs, the node takes nothing more: not the sixth small task, not the large one.
    expect(
      pickTasks(
        [waiting[5] as SchedulableTask<string>, big],
        picks.map((p) => p.plan),
        4,
        { heavyPerBackend: 1, of: limits.of },
        schedulerMemory()
      )
    ).toEqual([])
  })
})
