import type { EventPayload } from '../../shared/contract/contract'
import type { TaskSummary } from '../../shared/contract/tasks-contract'
import type { EventFrame } from '../../shared/contract/wire'
import { errorTypeCounts } from '../../shared/error-type-label'
import type { Notification } from './notification'
import type { TimerClock } from '../platform/timer-clock'
import { createHealthFlap } from './health-flap'
import { createRepeatFold } from './repeat-fold'

/** Tasks going to manual review within this window are told in one notification, not one each. */
export const MANUAL_REVIEW_WINDOW_MS = 30_000
const LISTED_TASKS = 5

/**
 * Turns the core's events into notifications: a change of the aggregate health level (debounced:
 * a problem when it starts, its end once it held), tasks deferred to manual review (gathered over a
 * short window, so a failing backend that sends fifty tasks to review is one message), a circuit
 * that opened (repeats within a window folded into one with a count), and a passed token budget.
 */
export function createEventNotifications(deps: { notify: (n: Notification) => void; clock: TimerClock }): {
  onEvent(frame: EventFrame): void
  stop(): void
} {
  const health = createHealthFlap(deps)
  const critical = createRepeatFold(deps)
  let deferred: TaskSummary[] = []
  /** Tasks already told as in review, so a later write touching one is not told again. */
  const inReview = new Set<string>()
  let flushTimer: unknown = null
  const iso = (): string => new Date(deps.clock.now()).toISOString()

  const flushDeferred = (): void => {
    flushTimer = null
    const batch = deferred
    deferred = []
    if (batch.length === 0) return
    const causes = new Map<string, number>()
    for (const e of batch) causes.set(e.errorType ?? 'other', (causes.get(e.errorType ?? 'other') ?? 0) + 1)
    const causeText = errorTypeCounts(Object.fromEntries(causes))
    const listed = batch
      .slice(0, LISTED_TASKS)
      .map((t) => `• ${t.title} (${t.id}): ${t.lastError ?? t.errorType ?? 'no message'}`)
    if (batch.length > LISTED_TASKS) listed.push(`… and ${batch.length - LISTED_TASKS} more`)
    deps.notify({
      kind: 'manual_review',
      title: batch.length === 1 ? 'A task went to manual review' : `${batch.length} tasks went to manual review`,
      message: `Causes: ${causeText}.\n${listed.join('\n')}\nOpen Tasks → Manual review to fix them or return them to autoprocessing.`,
      severity: 'warning',
      at: iso(),
      details: { taskIds: batch.map((t) => t.id), causes: Object.fromEntries(causes) }
    })
  }

  return {
    onEvent(frame) {
      if (frame.name === 'health.changed') {
        health.onSnapshot(frame.payload as EventPayload<'health.changed'>)
      } else if (frame.name === 'tasks.changed') {
        for (const task of (frame.payload as EventPayload<'tasks.changed'>).tasks) {
          if (task.status !== 'deferred_to_human') inReview.delete(task.id)
          else if (!inReview.has(task.id)) {
            inReview.add(task.id)
            deferred.push(task)
          }
        }
        if (deferred.length > 0) flushTimer ??= deps.clock.setTimeout(flushDeferred, MANUAL_REVIEW_WINDOW_MS)
      } else if (frame.name === 'models.circuitChanged') {
        const change = frame.payload as EventPayload<'models.circuitChanged'>
        if (change.to !== 'open' || change.from !== 'closed') return
        critical.tell(`${change.node} (${change.model})`, {
          kind: 'circuit_open',
          title: `Circuit open: ${change.node} (${change.model})`,
          message: `${change.circuit?.reason ?? 'Every recent request failed.'}\nNothing is sent there until a probe succeeds${change.circuit?.nextProbeAt ? ` (next probe ${change.circuit.nextProbeAt})` : ''}.`,
          severity: 'critical',
          at: change.circuit?.openedAt ?? iso(),
          details: { node: change.node, model: change.model, errorType: change.circuit?.errorType ?? null }
        })
      } else if (frame.name === 'usage.budgetExceeded') {
        // The usage ledger sends this once per budget period, so every one is told.
        const alert = frame.payload as EventPayload<'usage.budgetExceeded'>
        const n = (tokens: number): string => tokens.toLocaleString('en-US')
        deps.notify({
          kind: 'budget',
          title: `Token budget passed: ${n(alert.tokens)} of ${n(alert.budget)} this ${alert.period}`,
          message: `Every model call together (chat, board, tasks, workflows) used ${n(alert.tokens)} tokens since ${alert.start}, over the ${alert.period}'s budget of ${n(alert.budget)}. Nothing was stopped. The Usage view shows what used them; usage.tokenBudget in Settings changes the budget.`,
          severity: 'warning',
          at: iso(),
          details: { ...alert }
        })
      }
    },
    stop() {
      health.stop()
      critical.stop()
      if (flushTimer !== null) deps.clock.clearTimeout(flushTimer)
      flushDeferred()
    }
  }
}
