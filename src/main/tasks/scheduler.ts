import type { ProcessingPlan } from '../ports/task-processor'

export interface Candidate<T> {
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
}

/** What the scheduler remembers between picks: whose turn it is, and which model each backend last ran. */
export interface SchedulerMemory {
  lastBackend: string | null
  readonly lastModel: Map<string, string>
}

export function schedulerMemory(): SchedulerMemory {
  return { lastBackend: null, lastModel: new Map() }
}

/**
 * Picks up to `free` candidates (given in priority, then age, order) for the
 * free slots. Priority first; then the backend running the fewest tasks,
 * taking turns when tied, so every backend works at once; on that backend
 * the model it is already running, so a model is loaded once for a run of
 * tasks; and never more heavy tasks on a backend than its cap.
 */
export function pickTasks<T>(
  candidates: readonly Candidate<T>[],
  running: readonly ProcessingPlan[],
  free: number,
  limits: SchedulerLimits,
  memory: SchedulerMemory
): Candidate<T>[] {
  const picked: Candidate<T>[] = []
  const taken = new Set<number>()
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
  running.forEach(occupy)

  while (picked.length < free) {
    const eligible: number[] = []
    candidates.forEach((c, index) => {
      if (taken.has(index)) return
      const entry = loadOf(c.plan.backend)
      if (limits.perBackend !== undefined && entry.total >= limits.perBackend) return
      if (c.plan.heavy && entry.heavy >= limits.heavyPerBackend) return
      eligible.push(index)
    })
    if (eligible.length === 0) break
    const topRank = Math.max(...eligible.map((i) => (candidates[i] as Candidate<T>).rank))
    const top = eligible.filter((i) => (candidates[i] as Candidate<T>).rank === topRank)

    const backends = [...new Set(top.map((i) => (candidates[i] as Candidate<T>).plan.backend))].sort()
    const backend = chooseBackend(backends, (b) => loadOf(b).total, memory.lastBackend)
    const onBackend = top.filter((i) => (candidates[i] as Candidate<T>).plan.backend === backend)
    const model = chooseModel(onBackend.map((i) => (candidates[i] as Candidate<T>).plan.model), loadOf(backend).models, memory.lastModel.get(backend))
    const index = onBackend.find((i) => (candidates[i] as Candidate<T>).plan.model === model) as number
    const choice = candidates[index] as Candidate<T>
    taken.add(index)
    picked.push(choice)
    occupy(choice.plan)
    memory.lastBackend = backend
    memory.lastModel.set(backend, model)
  }
  return picked
}

function chooseBackend(backends: readonly string[], busy: (backend: string) => number, last: string | null): string {
  const least = Math.min(...backends.map(busy))
  const tied = backends.filter((b) => busy(b) === least)
  // Round-robin among the tied: the first one after the backend served last.
  return tied.find((b) => last === null || b > last) ?? (tied[0] as string)
}

function chooseModel(models: readonly string[], runningModels: ReadonlyMap<string, number>, lastModel: string | undefined): string {
  const available = new Set(models)
  let busiest: string | null = null
  for (const [model, count] of runningModels) {
    if (available.has(model) && count > 0 && (busiest === null || count > (runningModels.get(busiest) ?? 0))) busiest = model
  }
  if (busiest !== null) return busiest
  if (lastModel !== undefined && available.has(lastModel)) return lastModel
  // A model must be loaded anyway: load the one with the most waiting work.
  const counts = new Map<string, number>()
  for (const m of models) counts.set(m, (counts.get(m) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] as string
}
