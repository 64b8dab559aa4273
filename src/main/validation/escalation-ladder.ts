import type { Task, TaskEvent } from '../../shared/contract/tasks-contract'
import type { ConsultRequest, ConsultResult } from '../board/board-service'
import type { Logger } from '../log/logger'
import type { DecisionLog } from '../ports/decision-log'
import type { TaskForProcessing, TaskProcessor } from '../ports/task-processor'
import { escalationQuestion, parseBoardVerdict } from './board-verdict'
import type { Escalation, EscalationDecision, EscalationStore } from './escalation-store'

/** What the ladder needs of the task engine: its committed events, a task and its history, and a way back to the queue. */
export interface LadderTasks {
  onEvents(listener: (events: readonly TaskEvent[]) => void): () => void
  get(id: string): Task | null
  events(id: string): TaskEvent[]
  requeue(ids: readonly string[]): Promise<string[]>
}

export interface LadderDeps {
  readonly tasks: LadderTasks
  readonly board: { consult(request: ConsultRequest): Promise<ConsultResult> }
  /** Models that could run a task of this category now, best first. */
  readonly models: (category: string) => readonly { readonly node: string; readonly model: string }[]
}

export interface EscalationLadderOptions {
  readonly store: EscalationStore
  /** How many rounds a task gets before manual review is final (validation.escalationRounds). */
  readonly rounds: () => number
  readonly decisions: () => DecisionLog | null
  readonly log: Logger
}

function withOverride(task: TaskForProcessing, o: Escalation): TaskForProcessing {
  if (o.state === 'retry_other_model') return { ...task, preferredModel: o.nextModel, preferredBackend: o.nextNode }
  if (o.state === 'change_approach' && o.instruction) return { ...task, description: o.instruction }
  return task
}

/**
 * Attempts exhausted → the board → retry on another model, change the
 * approach, or give up → only then is manual review final, with the board's
 * view kept for the review card. It watches the engine's committed events for
 * tasks deferred to a person, so the task engine needs no hook: the task sits
 * in review while the board meets (a person may take it back meanwhile) and
 * returns to the queue with fresh attempts when the board says try again.
 */
export function createEscalationLadder(options: EscalationLadderOptions) {
  const { store, log } = options
  const overrides = new Map<string, Escalation>(store.activeOverrides().map((e) => [e.taskId, e]))
  const meetings = new Set<Promise<void>>()
  const stopping = new AbortController()
  let deps: LadderDeps | null = null
  let unsubscribe: (() => void) | null = null

  function onEvents(events: readonly TaskEvent[]): void {
    for (const e of events) {
      if (e.kind === 'deferred') escalate(e.taskId)
      else if (e.kind === 'completed' || e.kind === 'cancelled') overrides.delete(e.taskId)
    }
  }

  function escalate(taskId: string): void {
    const rounds = store.ofTask(taskId)
    const round = rounds.length + 1
    if (round > options.rounds()) return
    const task = deps?.tasks.get(taskId)
    if (!store.open(taskId, round, task?.model ?? null)) return
    meet(taskId, round)
  }

  function meet(taskId: string, round: number): void {
    const meeting = consult(taskId, round).catch((error: unknown) => {
      log.error('escalation failed', { task_id: taskId, round, error })
    })
    meetings.add(meeting)
    void meeting.finally(() => meetings.delete(meeting))
  }

  function decide(task: Task | null, taskId: string, round: number, d: EscalationDecision, reasons: string[]): void {
    if (!store.decide(taskId, round, d)) return
    options.decisions()?.record({
      runId: null,
      taskId,
      step: null,
      role: 'board',
      decision: d.state,
      kind: 'escalation',
      reasons,
      model: d.nextModel,
      correlationId: correlationOf(task)
    })
    log.info('task escalated', { task_id: taskId, round, decision: d.state, next_model: d.nextModel })
  }

  async function consult(taskId: string, round: number): Promise<void> {
    const d = deps
    if (!d) return
    const task = d.tasks.get(taskId)
    const none = { nextModel: null, nextNode: null, instruction: null, decisionId: null }
    if (!task || task.status !== 'deferred_to_human') {
      const view = 'The task left manual review before the board met; nothing was changed.'
      return decide(task, taskId, round, { ...none, state: 'board_unavailable', boardView: view }, [view])
    }
    const category = task.domain ?? 'general'
    const tried = new Set(
      [...store.ofTask(taskId).map((e) => e.failedModel), task.model].filter((m): m is string => m !== null)
    )
    const others = d.models(category).filter((c) => !tried.has(c.model))
    const question = escalationQuestion({
      title: task.title,
      description: overrides.get(taskId)?.instruction ?? task.description,
      attempts: d.tasks
        .events(taskId)
        .filter((e) => e.kind === 'failed')
        .map((e) => ({ attempt: e.attempt, errorType: e.errorType, message: e.message })),
      triedModels: [...tried],
      otherModels: [...new Set(others.map((c) => c.model))]
    })
    const result = await d.board.consult({
      question,
      source: 'task',
      correlationId: correlationOf(task) ?? taskId,
      taskId,
      log: log.child({ task_id: taskId }),
      signal: stopping.signal
    })
    if (stopping.signal.aborted) return
    if (!result.ok) {
      const view = `The board could not meet: ${result.message}. The task stays in manual review.`
      return decide(task, taskId, round, { ...none, state: 'board_unavailable', boardView: view }, [view])
    }
    const { decision } = result
    const boardView = [
      `${decision.decision}`,
      decision.rationale ? `Why: ${decision.rationale}` : '',
      `Votes: ${decision.tally.for} for, ${decision.tally.against} against, ${decision.tally.abstain} abstained.`
    ]
      .filter(Boolean)
      .join('\n')
    const verdict = parseBoardVerdict(decision.decision)
    const reasons = [decision.decision, decision.rationale].filter(Boolean)
    const base = { ...none, decisionId: decision.id, boardView }
    if (verdict.action === 'retry_other_model') {
      const next = others.find((c) => c.model === verdict.model) ?? others[0]
      if (!next) {
        const view = `${boardView}\nNo other model is available to retry on, so the task stays in manual review.`
        return decide(task, taskId, round, { ...base, state: 'give_up', boardView: view }, [...reasons, view])
      }
      const chosen = { ...base, state: 'retry_other_model' as const, nextModel: next.model, nextNode: next.node }
      decide(task, taskId, round, chosen, reasons)
    } else if (verdict.action === 'change_approach') {
      decide(task, taskId, round, { ...base, state: 'change_approach', instruction: verdict.instruction }, reasons)
    } else {
      return decide(task, taskId, round, { ...base, state: 'give_up' }, reasons)
    }
    const latest = store.ofTask(taskId).at(-1)
    if (latest) overrides.set(taskId, latest)
    await d.tasks.requeue([taskId])
  }

  return {
    /** Starts watching, and takes up the consultations a restart cut short. */
    start(next: LadderDeps): void {
      deps = next
      unsubscribe = next.tasks.onEvents(onEvents)
      for (const open of store.consulting()) meet(open.taskId, open.round)
    },
    async stop(): Promise<void> {
      unsubscribe?.()
      unsubscribe = null
      stopping.abort()
      await Promise.allSettled([...meetings])
    },
    /** The task engine's processor, running escalated tasks on the model or with the instruction the board chose. */
    wrap(inner: TaskProcessor): TaskProcessor {
      const adjust = (task: TaskForProcessing): TaskForProcessing => {
        const o = overrides.get(task.id)
        return o ? withOverride(task, o) : task
      }
      return {
        plan: (task) => inner.plan(adjust(task)),
        ensureReady: (plan, ctx) => inner.ensureReady(plan, ctx),
        process: (task, plan, ctx) => inner.process(adjust(task), plan, ctx),
        load: () => inner.load(),
        ...(inner.score ? { score: inner.score.bind(inner) } : {})
      }
    },
    ofTask: (taskId: string): Escalation[] => store.ofTask(taskId),
    /** Resolves when every consultation in progress has ended (tests). */
    settled: (): Promise<unknown> => Promise.allSettled([...meetings])
  }
}

function correlationOf(task: Task | null): string | null {
  const id = task?.metadata.correlationId
  return typeof id === 'string' ? id : null
}

export type EscalationLadder = ReturnType<typeof createEscalationLadder>
