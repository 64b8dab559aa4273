import type { ProcessingPlan } from '../src/main/ports/task-processor'
import { pickTasks, schedulerMemory, type SchedulableTask } from '../src/main/tasks/scheduler'

export interface MakespanResult {
  readonly scheduler: 'grouped' | 'fifo'
  readonly tasks: number
  readonly makespan: number
  readonly lowerBound: number
  readonly ratio: number
  readonly loads: number
}

interface SimTask {
  readonly id: number
  readonly plan: ProcessingPlan
  readonly work: number
}

interface Backend {
  loaded: string | null
  /** When the backend may start a task of the loaded model (after a load finishes). */
  readyAt: number
  readonly running: { end: number; model: string }[]
}

const BACKENDS = ['mlx', 'ollama-a', 'ollama-b']
const MODELS_PER_BACKEND = 2
const SLOTS_PER_BACKEND = 2
const LOAD_COST = 20

function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function workload(count: number, seed: number): SimTask[] {
  const random = seeded(seed)
  return Array.from({ length: count }, (_, id) => {
    const backend = BACKENDS[Math.floor(random() * BACKENDS.length)] as string
    const model = `${backend}/m${Math.floor(random() * MODELS_PER_BACKEND)}`
    return { id, plan: { backend, model, heavy: false }, work: 2 + Math.floor(random() * 9) }
  })
}

/**
 * Discrete-event run of the real scheduler over simulated backends that
 * hold one model at a time: starting a task of another model waits for the
 * backend to drain, then pays LOAD_COST. `fifo` takes tasks strictly in
 * arrival order, as a scheduler without grouping would.
 */
export function simulateMakespan(kind: 'grouped' | 'fifo', count = 900, seed = 42): MakespanResult {
  const tasks = workload(count, seed)
  const backends = new Map<string, Backend>(BACKENDS.map((b) => [b, { loaded: null, readyAt: 0, running: [] }]))
  const memory = schedulerMemory()
  let pending = [...tasks]
  let now = 0
  let loads = 0
  let makespan = 0

  while (pending.length > 0 || [...backends.values()].some((b) => b.running.length > 0)) {
    for (const b of backends.values()) {
      for (let i = b.running.length - 1; i >= 0; i--) if ((b.running[i]?.end ?? 0) <= now) b.running.splice(i, 1)
    }
    const running: ProcessingPlan[] = [...backends].flatMap(([backend, b]) =>
      b.running.map((r) => ({ backend, model: r.model, heavy: false }))
    )
    const free = BACKENDS.length * SLOTS_PER_BACKEND - running.length
    const candidates: SchedulableTask<SimTask>[] = pending.map((t) => ({ item: t, rank: 1, plan: t.plan }))
    const picks =
      kind === 'grouped'
        ? pickTasks(
            candidates,
            running,
            free,
            { heavyPerBackend: SLOTS_PER_BACKEND, perBackend: SLOTS_PER_BACKEND },
            memory
          )
        : fifoPicks(candidates, running, free)
    for (const pick of picks) {
      const b = backends.get(pick.plan.backend) as Backend
      let start = Math.max(now, b.readyAt)
      if (b.loaded !== pick.plan.model) {
        // Drain what runs on the old model, then load the new one.
        const drained = Math.max(start, ...b.running.map((r) => r.end))
        start = drained + LOAD_COST
        b.loaded = pick.plan.model
        b.readyAt = start
        loads++
      }
      const end = start + pick.item.work
      b.running.push({ end, model: pick.plan.model })
      makespan = Math.max(makespan, end)
    }
    const picked = new Set(picks.map((p) => p.item.id))
    pending = pending.filter((t) => !picked.has(t.id))
    const next = Math.min(...[...backends.values()].flatMap((b) => b.running.map((r) => r.end)).filter((e) => e > now))
    if (!Number.isFinite(next)) {
      if (picks.length === 0 && pending.length > 0)
        throw new Error('the scheduler left work waiting with every slot free')
      continue
    }
    now = next
  }

  const lowerBound = Math.max(
    ...BACKENDS.map((backend) => {
      const mine = tasks.filter((t) => t.plan.backend === backend)
      const models = new Set(mine.map((t) => t.plan.model)).size
      return mine.reduce((sum, t) => sum + t.work, 0) / SLOTS_PER_BACKEND + models * LOAD_COST
    })
  )
  return { scheduler: kind, tasks: count, makespan, lowerBound, ratio: makespan / lowerBound, loads }
}

function fifoPicks(
  candidates: readonly SchedulableTask<SimTask>[],
  running: readonly ProcessingPlan[],
  free: number
): SchedulableTask<SimTask>[] {
  const busy = new Map<string, number>()
  for (const r of running) busy.set(r.backend, (busy.get(r.backend) ?? 0) + 1)
  const picks: SchedulableTask<SimTask>[] = []
  for (const c of candidates) {
    if (picks.length >= free) break
    const n = busy.get(c.plan.backend) ?? 0
    if (n >= SLOTS_PER_BACKEND) continue
    busy.set(c.plan.backend, n + 1)
    picks.push(c)
  }
  return picks
}
