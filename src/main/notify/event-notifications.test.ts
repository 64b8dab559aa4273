import { describe, expect, it } from 'vitest'
import type { EventPayload } from '../../shared/contract/contract'
import type { TaskStatus, TaskSummary } from '../../shared/contract/tasks-contract'
import type { EventFrame } from '../../shared/contract/wire'
import { createEventNotifications, MANUAL_REVIEW_WINDOW_MS } from './event-notifications'
import { HEALTH_SETTLE_MS } from './health-flap'
import { REPEAT_FOLD_MS } from './repeat-fold'
import type { Notification } from './notification'
import { fakeTimerClock, type FakeTimerClock } from '../test-support/fake-timer-clock'

const frame = <E extends 'health.changed' | 'tasks.changed' | 'models.circuitChanged'>(
  name: E,
  payload: EventPayload<E>
): EventFrame => ({ type: 'event', name, payload })
const health = (level: 'ok' | 'degraded' | 'down', reasons: string[] = []): EventFrame =>
  frame('health.changed', { level, reasons, components: [], checkedAt: '2026-12-01T03:00:00.000Z' })
const summary = (
  id: string,
  status: TaskStatus,
  errorType: 'timeout' | 'echo' | null,
  lastError: string | null
): TaskSummary => ({
  id,
  title: `Task ${id}`,
  domain: null,
  priority: 'normal',
  assigneeExpert: null,
  status,
  attemptCount: 3,
  lastError,
  errorType,
  backend: 'ollama-local',
  model: 'llama3.2:3b',
  nextRetryAfter: null,
  createdAt: '2026-12-01T03:00:00.000Z',
  updatedAt: '2026-12-01T03:00:00.000Z'
})
const changed = (...tasks: TaskSummary[]): EventFrame =>
  frame('tasks.changed', {
    tasks,
    counts: { pending: 0, in_progress: 0, completed: 0, failed: 0, deferred_to_human: tasks.length, cancelled: 0 }
  })
const deferred = (id: string, errorType: 'timeout' | 'echo', message: string): EventFrame =>
  changed(summary(id, 'deferred_to_human', errorType, message))

function setup(): { sent: Notification[]; clock: FakeTimerClock; on: (f: EventFrame) => void } {
  const sent: Notification[] = []
  const clock = fakeTimerClock(Date.parse('2026-12-01T03:10:00Z'))
  const n = createEventNotifications({ notify: (x) => sent.push(x), clock })
  return { sent, clock, on: (f) => n.onEvent(f) }
}

describe('notifications from the core events', () => {
  it('tells a problem when it starts and its end once it held, not the first snapshot nor a re-check', () => {
    const { sent, clock, on } = setup()
    on(health('ok'))
    on(health('ok'))
    on(health('down', ['ollama-local: connection refused']))
    on(health('down', ['ollama-local: connection refused']))
    on(health('ok'))
    expect(sent.map((n) => n.title)).toEqual(['Health: ok → down'])
    clock.advanceTo(clock.now() + HEALTH_SETTLE_MS)
    expect(sent.map((n) => [n.title, n.severity])).toEqual([
      ['Health: ok → down', 'critical'],
      ['Health: down → ok', 'info']
    ])
    expect(sent[0]?.message).toBe('ollama-local: connection refused')
    expect(sent[1]?.message).toContain('Every part reports ok again.')
  })

  it('tells a flapping health once when it starts and once when it stays resolved, with how often it came back', () => {
    const { sent, clock, on } = setup()
    const t0 = clock.now()
    on(health('ok'))
    // What one poison-prompt task did in 16 s: down, ok, down, ok.
    for (const [s, level] of [
      [2, 'down'],
      [5, 'ok'],
      [9, 'down'],
      [12, 'ok']
    ] as const) {
      clock.advanceTo(t0 + s * 1000)
      on(health(level, level === 'down' ? ['ollama-local: circuit open'] : []))
    }
    expect(sent.map((n) => n.title)).toEqual(['Health: ok → down'])
    // Back to ok but not yet for long: nothing more.
    clock.advanceTo(t0 + 12_000 + HEALTH_SETTLE_MS - 1)
    expect(sent).toHaveLength(1)
    clock.advanceTo(t0 + 12_000 + HEALTH_SETTLE_MS)
    expect(sent.map((n) => n.title)).toEqual(['Health: ok → down', 'Health: down → ok'])
    expect(sent[1]?.message).toContain('it turned down again 1 time on the way (told once)')
    expect(sent[1]?.details).toMatchObject({ relapses: 1 })
    // Worse while already told bad (degraded → down) is told at once; the next problem starts fresh.
    on(health('degraded', ['disk low']))
    on(health('down', ['disk full']))
    expect(sent.map((n) => n.title).slice(2)).toEqual(['Health: ok → degraded', 'Health: degraded → down'])
  })

  it('folds repeated open circuits within the window into one message with a count', () => {
    const { sent, clock, on } = setup()
    const t0 = clock.now()
    const open = (model: string): EventFrame =>
      frame('models.circuitChanged', {
        node: 'ollama-local',
        model,
        from: 'closed',
        to: 'open',
        circuit: {
          node: 'ollama-local',
          model,
          state: 'open',
          reason: `500 “llama runner process has terminated” (${model})`,
          errorType: 'runner_terminated',
          openedAt: '2026-12-01T03:10:00.000Z',
          nextProbeAt: null,
          lastProbeFailure: null
        }
      })
    // Seven openings in 16 s, as QA saw: told once at once…
    for (let i = 0; i < 7; i++) {
      clock.advanceTo(t0 + i * 2_000)
      on(open(i % 3 === 2 ? 'qwen2.5:7b' : 'llama3.2:3b'))
    }
    expect(sent.map((n) => n.title)).toEqual(['Circuit open: ollama-local (llama3.2:3b)'])
    // …and the six repeats in one message when the window ends.
    clock.advanceTo(t0 + REPEAT_FOLD_MS)
    expect(sent).toHaveLength(2)
    expect(sent[1]).toMatchObject({
      kind: 'circuit_open',
      severity: 'critical',
      title: 'Circuit open: ollama-local (llama3.2:3b) — 6 more times in 10 min',
      details: { folded: 6, repeats: { 'ollama-local (llama3.2:3b)': 4, 'ollama-local (qwen2.5:7b)': 2 } }
    })
    expect(sent[1]?.message).toContain('• ollama-local (qwen2.5:7b) ×2')
    // A quiet window ends the fold: the next opening is told at once again.
    clock.advanceTo(t0 + 2 * REPEAT_FOLD_MS)
    expect(sent).toHaveLength(2)
    on(open('llama3.2:3b'))
    expect(sent).toHaveLength(3)
  })

  it('gathers tasks deferred within the window into one manual-review notification with their causes', () => {
    const { sent, clock, on } = setup()
    on(deferred('t1', 'timeout', 'no answer within 300 s'))
    on(deferred('t2', 'timeout', 'no answer within 300 s'))
    on(deferred('t3', 'echo', 'the answer repeated the prompt'))
    expect(sent).toEqual([])
    expect(clock.delays).toEqual([MANUAL_REVIEW_WINDOW_MS])
    clock.fireNext()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      kind: 'manual_review',
      title: '3 tasks went to manual review',
      details: { taskIds: ['t1', 't2', 't3'], causes: { timeout: 2, echo: 1 } }
    })
    expect(sent[0]?.message).toContain('Causes: Timeout ×2, Echoed the prompt ×1.')
    expect(sent[0]?.message).toContain('• Task t3 (t3): the answer repeated the prompt')
    // A later write touching a task still in review is not told again; one that left and came back is.
    on(
      changed(
        summary('t1', 'deferred_to_human', 'timeout', 'no answer within 300 s'),
        summary('t2', 'pending', null, null)
      )
    )
    on(deferred('t2', 'echo', 'again'))
    clock.fireNext()
    expect(sent).toHaveLength(2)
    expect(sent[1]).toMatchObject({ title: 'A task went to manual review', details: { taskIds: ['t2'] } })
  })

  it('tells a circuit that opened, with its reason, and not its probe or its closing', () => {
    const { sent, on } = setup()
    const circuit = {
      node: 'ollama-local',
      model: 'llama3.2:3b',
      state: 'open' as const,
      reason: '500 “llama runner process has terminated” on 8 of the last 8 generations',
      errorType: 'runner_terminated' as const,
      openedAt: '2026-12-01T02:14:00.000Z',
      nextProbeAt: '2026-12-01T02:15:00.000Z',
      lastProbeFailure: null
    }
    on(
      frame('models.circuitChanged', {
        node: 'ollama-local',
        model: 'llama3.2:3b',
        from: 'closed',
        to: 'open',
        circuit
      })
    )
    on(
      frame('models.circuitChanged', {
        node: 'ollama-local',
        model: 'llama3.2:3b',
        from: 'open',
        to: 'half_open',
        circuit: { ...circuit, state: 'half_open' }
      })
    )
    on(
      frame('models.circuitChanged', {
        node: 'ollama-local',
        model: 'llama3.2:3b',
        from: 'half_open',
        to: 'closed',
        circuit: null
      })
    )
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      kind: 'circuit_open',
      severity: 'critical',
      title: 'Circuit open: ollama-local (llama3.2:3b)',
      at: '2026-12-01T02:14:00.000Z',
      details: { errorType: 'runner_terminated' }
    })
    expect(sent[0]?.message).toContain('llama runner process has terminated')
  })
})

describe('a passed token budget', () => {
  it('is told once per alert the usage ledger sends, with the period and the figures', () => {
    const sent: Notification[] = []
    const notifications = createEventNotifications({ notify: (n) => sent.push(n), clock: fakeTimerClock(0) })
    notifications.onEvent({
      type: 'event',
      name: 'usage.budgetExceeded',
      payload: { period: 'week', start: '2026-11-30', tokens: 1_250_000, budget: 1_000_000 }
    })
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      kind: 'budget',
      severity: 'warning',
      title: 'Token budget passed: 1,250,000 of 1,000,000 this week',
      details: { period: 'week', start: '2026-11-30', tokens: 1_250_000, budget: 1_000_000 }
    })
    expect(sent[0]?.message).toContain('since 2026-11-30')
  })
})
