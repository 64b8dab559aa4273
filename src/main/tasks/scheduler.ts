import type { BackendLimit } from '../ports/backend-limits'
import type { ProcessingPlan } from '../ports/task-processor'

/** A claimable task with the plan the processor made for it, as the scheduler weighs it. */
export interface SchedulableTask<T> {
  readonly item: T
  /** Higher runs first (urgent 3 … low 0). */
  readonly rank: number
  readonly plan: ProcessingPlan
}

export interface SchedulerLimits {
  /** Heavy-model tasks one backend runs at once. */
  readonly heavyPerBackend: number
  /** Tasks one backend runs at once; unset means only the pool's size bounds it. */
  readonly perBackend?: number
  /** Each backend's own limits (MLX one at a time, Ollama its heavy cap); they replace the two above for that backend. */
  readonly of?: (backend: string) => BackendLimit
}

/** What the scheduler remembers between picks: whose turn it is, which model each backend last ran, and the last shared call's number. */
export interface SchedulerMemory {
  lastBackend: string | null
  readonly lastModel: Map<string, string>
  calls: number
}

export function schedulerMemory(): SchedulerMemory {
  return { lastBackend: null, lastModel: new Map(), calls: 0 }
}

/** Model calls these plans make at once: each task its own, except tasks sharing a call (a batch), which count once. */
export function callsOf(plans: readonly ProcessingPlan[]): number {
  let calls = 0
  let shared: Set<string> | null = null
  for (const plan of plans) {
    if (!plan.call) calls++
    else if (!(shared ??= new Set()).has(plan.call.id)) {
      shared.add(plan.call.id)
      calls++
    }
  }
  return calls
}

/** For each plan, in order, the number of the call it makes among them (0, 1, …): tasks sharing a call share its number. */
export function callOrdinals(plans: readonly ProcessingPlan[]): number[] {
  const seen = new Map<string, number>()
  let next = 0
  return plans.map((plan) => {
    if (!plan.call) return next++
    const known = seen.get(plan.call.id)
    if (known !== undefined) return known
    seen.set(plan.call.id, next)
    return next++
  })
}

/** A shared call being formed in this pick: the batch's first task opened it, others of its key join while it has room. */
interface OpenCall<T> {
  readonly id: string
  readonly members: SchedulableTask<T>[]
  tokens: number
}

/**
 * Picks candidates (given in priority, then age, order) for `free` model
 * calls. Caps count calls, not tasks: a task the processor can batch joins a
 * call opened in this pick for its key while that has room, taking no slot
 * of its own, so a node capped at one call still answers a batch. Priority
 * first; then the backend running the fewest calls, taking turns when tied,
 * so every backend works at once; on that backend the model it is already
 * running, so a model is loaded once for a run of tasks; and never more heavy
 * calls on a backend than its cap.
 */
export function pickTasks<T>(
  candidates: readonly SchedulableTask<T>[],
  running: readonly ProcessingPlan[],
  free: number,
  limits: SchedulerLimits,
  memory: SchedulerMemory
): SchedulableTask<T>[] {
  const load = new Map<string, { total: number; heavy: number; models: Map<string, number> }>()
  const loadOf = (backend: string) => {
    let entry = load.get(backend)
    if (!entry) load.set(backend, (entry = { total: 0, heavy: 0, models: new Map() }))
    return entry
  }
  const occupy = (plan: ProcessingPlan): void => {
    const entry = loadOf(plan.backend)
    entry.total++
    if (plan.heavy) entry.heavy++
    entry.models.set(plan.model, (entry.models.get(plan.model) ?? 0) + 1)
  }
  const counted = new Set<string>()
  for (const plan of running) {
    if (plan.call) {
      if (counted.has(plan.call.id)) continue
      counted.add(plan.call.id)
    }
    occupy(plan)
  }

  // Queues per rank → backend → model, each in the candidates' order, so a pick costs the number of groups, not of candidates.
  const byRank = new Map<number, Map<string, Map<string, { items: SchedulableTask<T>[]; next: number }>>>()
  for (const c of candidates) {
    let backends = byRank.get(c.rank)
    if (!backends) byRank.set(c.rank, (backends = new Map()))
    let models = backends.get(c.plan.backend)
    if (!models) backends.set(c.plan.backend, (models = new Map()))
    let queue = models.get(c.plan.model)
    if (!queue) models.set(c.plan.model, (queue = { items: [], next: 0 }))
    queue.items.push(c)
  }
  const ranks = [...byRank.keys()].sort((a, b) => b - a)
  const taken = new Set<SchedulableTask<T>>()
  const limitOf = new Map<string, BackendLimit>()
  const capOf = (backend: string): BackendLimit => {
    let cap = limitOf.get(backend)
    if (!cap)
      limitOf.set(
        backend,
        (cap = limits.of?.(backend) ?? { heavy: limits.heavyPerBackend, total: limits.perBackend ?? null })
      )
    return cap
  }
  /** Calls formed in this pick, per node and batch key. */
  const open = new Map<string, OpenCall<T>[]>()
  const openKey = (plan: ProcessingPlan): string => `${plan.backend}\u0000${plan.batch?.key ?? ''}`
  const joins = (c: SchedulableTask<T>): OpenCall<T> | null => {
    const batch = c.plan.batch
    if (!batch) return null
    const calls = open.get(openKey(c.plan))
    return (
      calls?.find((call) => call.members.length < batch.maxTasks && call.tokens + batch.tokens <= batch.maxTokens) ??
      null
    )
  }
  let opened = 0
  const fits = (c: SchedulableTask<T>): boolean => {
    if (joins(c)) return true
    if (opened >= free) return false
    const entry = loadOf(c.plan.backend)
    const cap = capOf(c.plan.backend)
    if (cap.total !== null && entry.total >= cap.total) return false
    return !(c.plan.heavy && entry.heavy >= cap.heavy)
  }
  const headOf = (queue: { items: SchedulableTask<T>[]; next: number }): SchedulableTask<T> | undefined => {
    // Skip over heavy tasks blocked by the cap; they stay for a later pick.
    for (let i = queue.next; i < queue.items.length; i++) {
      const c = queue.items[i] as SchedulableTask<T>
      if (!taken.has(c) && fits(c)) return c
    }
    return undefined
  }

  const picked: SchedulableTask<T>[] = []
  // Once every free call is taken only a batch formed in this pick can still take tasks.
  while (opened < free || open.size > 0) {
    let choice: SchedulableTask<T> | undefined
    for (const rank of ranks) {
      const backends = byRank.get(rank) as Map<string, Map<string, { items: SchedulableTask<T>[]; next: number }>>
      const heads = new Map<string, Map<string, SchedulableTask<T>>>()
      for (const [backend, models] of backends) {
        for (const [model, queue] of models) {
          while (queue.next < queue.items.length && taken.has(queue.items[queue.next] as SchedulableTask<T>))
            queue.next++
          const head = headOf(queue)
          if (!head) continue
          let onBackend = heads.get(backend)
          if (!onBackend) heads.set(backend, (onBackend = new Map()))
          onBackend.set(model, head)
        }
      }
      if (heads.size === 0) continue
      const backend = chooseBackend([...heads.keys()].sort(), (b) => loadOf(b).total, memory.lastBackend)
      const onBackend = heads.get(backend) as Map<string, SchedulableTask<T>>
      const waiting = (model: string): number => {
        const queue = backends.get(backend)?.get(model)
        return queue ? queue.items.length - queue.next : 0
      }
      const model = chooseModel([...onBackend.keys()], waiting, loadOf(backend).models, memory.lastModel.get(backend))
      choice = onBackend.get(model)
      break
    }
    if (!choice) break
    taken.add(choice)
    picked.push(choice)
    const call = joins(choice)
    if (call) {
      call.members.push(choice)
      call.tokens += choice.plan.batch?.tokens ?? 0
    } else {
      opened++
      occupy(choice.plan)
      if (choice.plan.batch) {
        const made: OpenCall<T> = { id: `call-${++memory.calls}`, members: [choice], tokens: choice.plan.batch.tokens }
        const key = openKey(choice.plan)
        const calls = open.get(key)
        if (calls) calls.push(made)
        else open.set(key, [made])
      }
    }
    memory.lastBackend = choice.plan.backend
    memory.lastModel.set(choice.plan.backend, choice.plan.model)
  }
  return shareCalls(picked, [...open.values()].flat())
}

/** The tasks picked into one call carry it in their plans, so the pool counts it once and the processor sends it once. */
function shareCalls<T>(picked: SchedulableTask<T>[], formed: readonly OpenCall<T>[]): SchedulableTask<T>[] {
  const shared = new Map<SchedulableTask<T>, SchedulableTask<T>>()
  for (const call of formed) {
    if (call.members.length < 2) continue
    for (const m of call.members)
      shared.set(m, { ...m, plan: { ...m.plan, call: { id: call.id, tasks: call.members.length } } })
  }
  return shared.size === 0 ? picked : picked.map((p) => shared.get(p) ?? p)
}

function chooseBackend(backends: readonly string[], busy: (backend: string) => number, last: string | null): string {
  const least = Math.min(...backends.map(busy))
  const tied = backends.filter((b) => busy(b) === least)
  // Round-robin among the tied: the first one after the backend served last.
  return tied.find((b) => last === null || b > last) ?? (tied[0] as string)
}

function chooseModel(
  models: readonly string[],
  waiting: (model: string) => number,
  runningModels: ReadonlyMap<string, number>,
  lastModel: string | undefined
): string {
  let busiest: string | null = null
  for (const model of models) {
    const count = runningModels.get(model) ?? 0
    if (count > 0 && (busiest === null || count > (runningModels.get(busiest) ?? 0))) busiest = model
  }
  if (busiest !== null) return busiest
  if (lastModel !== undefined && models.includes(lastModel)) return lastModel
  // A model must be loaded anyway: load the one with the most waiting work.
  return [...models].sort((a, b) => waiting(b) - waiting(a))[0] as string
}
