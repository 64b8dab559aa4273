import type { HealthReport } from '../ports/health-contributor'
import type { Logger } from '../log/logger'
import { SRE_ROLE } from '../ports/person-tasks'
import type { ProbedTask, QueueProbe } from './queue-probe'

export interface MonitorThresholds {
  readonly stalledRunningCount: number
  readonly stalledRunningMinutes: number
  readonly oldPendingCount: number
  readonly oldPendingMinutes: number
}

/** One condition over its threshold, with the tasks that show it. */
export interface Finding {
  readonly kind: 'stalled_running' | 'old_pending'
  readonly count: number
  readonly threshold: number
  readonly minutes: number
  readonly oldest: readonly ProbedTask[]
}

/** The SRE task the monitor files and closes, through the task queue's own calls. */
export interface SreTasks {
  /** Queues the task; resolves with its id. */
  file(task: { title: string; description: string; metadata: Record<string, unknown> }): Promise<string>
  /** Cancels it if it has not finished; `reason` goes to the task's trail. */
  close(id: string, reason: string): Promise<void>
}

export type MonitorVerdict =
  | { readonly state: 'clear'; readonly evidence: string; readonly closedTaskId: string | null }
  | {
      readonly state: 'alert'
      readonly evidence: string
      readonly taskId: string
      readonly filed: boolean
      readonly findings: readonly Finding[]
    }

export interface PredictiveMonitor {
  /** Measures the queue; files one SRE task when a condition starts, closes it when all clear. */
  check(): Promise<MonitorVerdict>
  /** Degraded while an alert is open, with its evidence. */
  health(): HealthReport
  onChange(listener: () => void): () => void
}

/** A person's role (ports/person-tasks.ts): the worker never hands the monitor's task to a model. */
export const SRE_EXPERT = SRE_ROLE
export const MONITOR_SOURCE = 'predictive-monitor'
/** How many tasks of each condition the evidence names. */
const SAMPLE = 5

/**
 * The operators' predictive monitor: a queue whose running tasks stall or
 * whose pending tasks age is in trouble before anything fails. While either
 * condition holds there is exactly one open SRE task carrying the evidence
 * (found again in the queue after a restart); when both clear it is closed.
 */
export function createPredictiveMonitor(deps: {
  probe: QueueProbe
  tasks: SreTasks
  thresholds: () => MonitorThresholds
  now: () => number
  log: Logger
}): PredictiveMonitor {
  const listeners = new Set<() => void>()
  let open: { taskId: string; evidence: string } | null = null
  let inFlight: Promise<MonitorVerdict> | null = null

  const measure = (): Finding[] => {
    const t = deps.thresholds()
    const at = deps.now()
    const stalled = deps.probe.stalledRunning(at - t.stalledRunningMinutes * 60_000, SAMPLE)
    const pending = deps.probe.oldPending(at - t.oldPendingMinutes * 60_000, SAMPLE)
    const findings: Finding[] = []
    if (stalled.count >= t.stalledRunningCount)
      findings.push({
        kind: 'stalled_running',
        count: stalled.count,
        threshold: t.stalledRunningCount,
        minutes: t.stalledRunningMinutes,
        oldest: stalled.oldest
      })
    if (pending.count >= t.oldPendingCount)
      findings.push({
        kind: 'old_pending',
        count: pending.count,
        threshold: t.oldPendingCount,
        minutes: t.oldPendingMinutes,
        oldest: pending.oldest
      })
    return findings
  }

  const changed = (): void => {
    for (const listener of listeners) listener()
  }

  const run = async (): Promise<MonitorVerdict> => {
    const findings = measure()
    const existing = open?.taskId ?? deps.probe.openTaskOf(SRE_EXPERT, MONITOR_SOURCE)?.id ?? null
    if (findings.length === 0) {
      if (existing !== null) {
        await deps.tasks.close(existing, 'the queue is back under the predictive monitor’s thresholds')
        deps.log.info('predictive monitor: condition cleared, SRE task closed', { task: existing })
      }
      const hadAlert = open !== null
      open = null
      if (hadAlert || existing !== null) changed()
      return {
        state: 'clear',
        evidence: 'no stalled running tasks or old pending tasks over the thresholds',
        closedTaskId: existing
      }
    }
    const evidence = findings.map(summaryOf).join('; ')
    if (existing !== null) {
      const changedEvidence = open?.evidence !== evidence
      open = { taskId: existing, evidence }
      if (changedEvidence) changed()
      return {
        state: 'alert',
        evidence: `${evidence} (SRE task ${existing} open)`,
        taskId: existing,
        filed: false,
        findings
      }
    }
    const taskId = await deps.tasks.file({
      title: `SRE: task queue at risk (${findings.map(shortOf).join(', ')})`,
      description: describe(findings, deps.now()),
      metadata: {
        source: MONITOR_SOURCE,
        findings: findings.map((f) => ({
          ...f,
          oldest: f.oldest.map((o) => ({ ...o, since: new Date(o.since).toISOString() }))
        }))
      }
    })
    open = { taskId, evidence }
    deps.log.warn('predictive monitor: SRE task filed', { task: taskId, evidence })
    changed()
    return { state: 'alert', evidence: `${evidence} (SRE task ${taskId} filed)`, taskId, filed: true, findings }
  }

  return {
    check() {
      inFlight ??= run().finally(() => {
        inFlight = null
      })
      return inFlight
    },
    health: () =>
      open === null
        ? { component: 'predictive-monitor', level: 'ok', reasons: [] }
        : {
            component: 'predictive-monitor',
            level: 'degraded',
            reasons: [`${open.evidence}; SRE task ${open.taskId}`]
          },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}

function summaryOf(f: Finding): string {
  return f.kind === 'stalled_running'
    ? `${f.count} running tasks without an update for over ${f.minutes} min (threshold ${f.threshold})`
    : `${f.count} tasks pending for over ${f.minutes} min (threshold ${f.threshold})`
}

function shortOf(f: Finding): string {
  return f.kind === 'stalled_running' ? `${f.count} stalled running` : `${f.count} old pending`
}

function describe(findings: readonly Finding[], at: number): string {
  const lines = [`The predictive monitor found at ${new Date(at).toISOString()}:`]
  for (const f of findings) {
    lines.push('', `- ${summaryOf(f)}. The oldest:`)
    for (const o of f.oldest)
      lines.push(
        `  - ${o.id} "${o.title}" ${f.kind === 'stalled_running' ? 'last updated' : 'pending since'} ${new Date(o.since).toISOString()}`
      )
  }
  lines.push(
    '',
    'What to look at: whether the model servers answer (Models view, checklist), what the worker log says for the tasks above, and whether the worker is paused or waiting (Tasks view).',
    'This task is for you, not for a model: the worker does not take it. The monitor cancels it once the queue is back under its thresholds, and says why in its trail.'
  )
  return lines.join('\n')
}
