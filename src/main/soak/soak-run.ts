import type { KosClient } from '../../shared/contract/client'
import type { CallInput, CallName, CallOutput } from '../../shared/contract/contract'
import { TASK_PAGE_MAX, type TaskEvent, type TaskSummary } from '../../shared/contract/tasks-contract'
import type { SoakKpis } from './soak-gates'
import type { SoakCounts, SoakProfile } from './soak-report'

export interface SoakDeps {
  /** The core under test, with write scope (the soak queues tasks). */
  readonly client: Pick<KosClient, 'call'>
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
  /** The process's resident memory, MiB. */
  readonly memoryMb: () => number
  /** A line of progress for the person watching. */
  readonly progress: (line: string) => void
  /** Tells this run's tasks from any others in the queue. */
  readonly runId: string
}

export interface SoakOptions extends SoakProfile {
  /** After the last task is queued, how long the soak waits for the rest to finish. */
  readonly drainSeconds: number
  readonly sampleSeconds: number
}

export interface SoakMeasurements {
  readonly counts: SoakCounts
  readonly kpis: SoakKpis
  readonly nodes: readonly string[]
}

export const SOAK_DOMAIN = 'soak'

/**
 * Attempts in a task's trail: each 'claimed' event, and each completion with no claim of its own before it (a run
 * that ended within the group commit after its start says where it ran in its 'completed' event instead).
 */
export function attemptsIn(events: readonly TaskEvent[]): number {
  let attempts = 0
  let claimOpen = false
  for (const e of events) {
    if (e.kind === 'claimed') {
      attempts++
      claimOpen = true
    } else if (e.kind === 'completed' && !claimOpen) attempts++
    else if (e.kind !== 'progress') claimOpen = false
  }
  return attempts
}
const TOPICS = [
  'the water cycle',
  'compound interest',
  'TCP congestion control',
  'photosynthesis',
  'binary search',
  'supply and demand',
  'plate tectonics',
  'the CAP theorem'
]
const FINISHED = new Set<TaskSummary['status']>(['completed', 'deferred_to_human', 'cancelled'])

async function value<N extends CallName>(
  client: Pick<KosClient, 'call'>,
  name: N,
  input: CallInput<N>
): Promise<CallOutput<N>> {
  const result = await client.call(name, input)
  if (!result.ok) throw new Error(`${name} refused: ${result.error.message}`)
  return result.value
}

export function p95(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number
}

/**
 * Drives synthetic tasks through the real queue, router and model nodes at a
 * steady rate, sampling memory as it goes; then waits for them to finish and
 * measures what a release gate needs: latency from queued to completed,
 * failed attempts, answers that needed a fallback model, tasks that ended in
 * manual review or never finished, and restarts of the supervised servers.
 */
export async function runSoak(options: SoakOptions, deps: SoakDeps): Promise<SoakMeasurements> {
  const total = Math.max(1, Math.round(options.minutes * options.ratePerMinute))
  const intervalMs = 60_000 / options.ratePerMinute
  const restartsAtStart = await restartsNow(deps.client)
  const ids: string[] = []
  let peakMemoryMb = deps.memoryMb()
  const startedAt = deps.now()
  let nextSampleAt = startedAt

  const sample = (): void => {
    peakMemoryMb = Math.max(peakMemoryMb, deps.memoryMb())
  }

  while (ids.length < total) {
    const dueAt = startedAt + ids.length * intervalMs
    if (deps.now() < dueAt) await deps.sleep(Math.min(dueAt - deps.now(), options.sampleSeconds * 1000))
    if (deps.now() >= nextSampleAt) {
      sample()
      nextSampleAt += options.sampleSeconds * 1000
    }
    if (deps.now() < dueAt) continue
    const i = ids.length
    const topic = TOPICS[i % TOPICS.length] as string
    const task = await value(deps.client, 'tasks.create', {
      title: `Soak ${deps.runId} #${i + 1}: ${topic}`,
      description: `Synthetic soak task ${i + 1} of ${total} (run ${deps.runId}). Explain ${topic} to a new colleague in three sentences.`,
      domain: SOAK_DOMAIN,
      metadata: { source: 'soak', run: deps.runId }
    })
    ids.push(task.id)
    if ((i + 1) % Math.ceil(total / 10) === 0) deps.progress(`queued ${i + 1}/${total}`)
  }

  const mine = new Set(ids)
  const drainUntil = deps.now() + options.drainSeconds * 1000
  let tasks: TaskSummary[] = []
  for (;;) {
    sample()
    tasks = (await soakTasks(deps.client)).filter((t) => mine.has(t.id))
    const open = tasks.filter((t) => !FINISHED.has(t.status)).length
    if (open === 0 || deps.now() >= drainUntil) break
    await deps.sleep(Math.min(1000, options.sampleSeconds * 1000))
  }

  const completed = tasks.filter((t) => t.status === 'completed')
  const latencies = completed.map((t) => Date.parse(t.updatedAt) - Date.parse(t.createdAt))
  let attempts = 0
  let failedAttempts = 0
  let withFallback = 0
  const nodes = new Set<string>()
  for (const t of tasks) {
    const { events } = await value(deps.client, 'tasks.get', { id: t.id })
    attempts += attemptsIn(events)
    failedAttempts += events.filter((e) => e.kind === 'failed' || e.kind === 'deferred').length
    if (
      t.status === 'completed' &&
      events.some((e) => e.kind === 'progress' && e.message?.includes('trying the next candidate'))
    )
      withFallback++
    if (t.backend) nodes.add(t.backend)
  }
  const manualReview = tasks.filter((t) => t.status === 'deferred_to_human').length
  const unfinished = total - completed.length - manualReview
  const counts: SoakCounts = {
    submitted: total,
    completed: completed.length,
    manualReview,
    unfinished,
    attempts,
    failedAttempts,
    withFallback
  }
  deps.progress(`finished: ${completed.length} completed, ${manualReview} in manual review, ${unfinished} unfinished`)
  return {
    counts,
    nodes: [...nodes].sort(),
    kpis: {
      p95LatencyMs: p95(latencies),
      errorShare: attempts > 0 ? failedAttempts / attempts : null,
      fallbackShare: completed.length > 0 ? withFallback / completed.length : null,
      reviewShare: (manualReview + unfinished) / total,
      peakMemoryMb,
      restarts: Math.max(0, (await restartsNow(deps.client)) - restartsAtStart)
    }
  }
}

/** Every task of the soak's domain, page by page. */
async function soakTasks(client: Pick<KosClient, 'call'>): Promise<TaskSummary[]> {
  const all: TaskSummary[] = []
  let cursor: CallInput<'tasks.list'>['cursor']
  do {
    const page = await value(client, 'tasks.list', {
      domain: SOAK_DOMAIN,
      limit: TASK_PAGE_MAX,
      ...(cursor ? { cursor } : {})
    })
    all.push(...page.tasks)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return all
}

async function restartsNow(client: Pick<KosClient, 'call'>): Promise<number> {
  const processes = await value(client, 'supervisor.list', {})
  return processes.reduce((sum, p) => sum + p.restartsLastHour, 0)
}
