import type {
  PolicyViolation,
  RunSource,
  RunSummary,
  WorkflowDefinition,
  WorkflowStep
} from '../../shared/contract/workflows-contract'
import type { Logger } from '../log/logger'
import type { Approvals } from '../ports/approvals'
import type { DecisionLog, DecisionRecord } from '../ports/decision-log'
import type { ResultValidator, TestRunner } from '../ports/result-validator'
import type { QueuedTask, TaskQueue } from '../ports/task-queue'
import { createApplyGate } from './apply-gate'
import type { ApplyStore } from './apply-store'
import { renderPrompt } from './prompt-template'
import { estimateTokens, inputViolations } from './step-judgement'
import { createStepFinisher, type StepActions, type TaskTokens } from './step-finisher'
import { runSummary, type StoredRun, type StoredStep, type WorkflowStore } from './workflow-store'

export interface RunnerDeps {
  readonly store: WorkflowStore
  readonly decisions: DecisionLog
  /** The newest validation verdict recorded on a task, or null. */
  readonly priorVerdict: (taskId: string) => { readonly decision: string; readonly reasons: readonly string[] } | null
  readonly tasks: TaskQueue
  /** Cancels a step's task when its run is cancelled. */
  readonly cancelTask: (taskId: string) => Promise<void>
  readonly actions: StepActions
  readonly validator: ResultValidator | null
  readonly testRunner: TestRunner | null
  readonly approvals: Approvals | null
  /** Resolves a step's test folder (relative to the data dir). */
  readonly resolvePath: (path: string) => string
  readonly applies: ApplyStore
  /** Each step task's tokens from the usage ledger; null counts every step at 4 characters a token. */
  readonly taskTokens: TaskTokens | null
  readonly onChange: (summary: RunSummary) => void
  readonly log: Logger
}

export interface StartRun {
  readonly definition: WorkflowDefinition
  readonly input: string
  readonly title: string
  readonly source: RunSource
  readonly messageId: string | null
  readonly correlationId: string
}

/** Where a step's work comes from, for its task's domain (the router picks a model by it). */
const DOMAIN_OF: Partial<Record<WorkflowStep['kind'], string>> = { code: 'coding', research: 'research' }

/**
 * Runs workflows on the task engine. Each step is a task (its parent the
 * task of the step before, the run id in its metadata); this runner watches
 * them, judges each answer as a hand-off package, applies the policies,
 * records every decision and queues the next step. Its state is in SQLite
 * and the tasks: after a crash, resume() picks every active run up where its
 * last step stands, and a step's task re-created with the same prompt is
 * the same task (the queue's dedup), so nothing runs twice.
 */
export function createWorkflowRunner(deps: RunnerDeps) {
  const { store, tasks, log } = deps
  const watches = new Map<string, () => void>()
  const approvalWaits = new Map<string, () => void>()
  const handling = new Set<string>()

  const emit = (runId: string): void => {
    const run = store.getRun(runId)
    if (run) deps.onChange(runSummary(run, store.lastStep(runId)))
  }
  const record = (run: StoredRun, step: StoredStep | null, d: Omit<DecisionRecord, 'runId' | 'correlationId'>): void =>
    deps.decisions.record({
      ...d,
      runId: run.id,
      correlationId: run.correlationId,
      taskId: d.taskId ?? step?.taskId ?? null
    })

  /** One policy_block row per violation, each naming its policy. */
  function recordBlocks(
    run: StoredRun,
    row: StoredStep,
    violations: readonly PolicyViolation[],
    model: string | null
  ): void {
    for (const v of violations)
      record(run, row, {
        taskId: row.taskId,
        step: row.step,
        role: `policy:${v.policy}`,
        decision: 'blocked',
        kind: 'policy_block',
        reasons: [v.message],
        model
      })
  }

  /** A step that cannot start: written down as blocked, with why, and the run ends. */
  function blockStep(
    run: StoredRun,
    name: string,
    round: number,
    attempt: number,
    prompt: string,
    problems: readonly string[],
    why: string
  ): StoredStep {
    const row = store.addStep(run.id, {
      step: name,
      round,
      attempt,
      status: 'blocked',
      taskId: null,
      prompt,
      tokens: 0
    })
    store.updateStep(row.id, { status: 'blocked', problems, finished: true })
    failRun(run, why)
    return row
  }

  function stepDef(run: StoredRun, name: string): WorkflowStep {
    const step = run.definition.steps.find((s) => s.name === name)
    if (!step) throw new Error(`Run ${run.id}: its definition has no step "${name}"`)
    return step
  }

  function failRun(run: StoredRun, message: string, status: 'failed' | 'cancelled' = 'failed'): void {
    store.updateRun(run.id, { status, error: message })
    log.warn('workflow run ended', { run_id: run.id, status, reason: message })
  }

  /** Starts (or, after a crash, re-starts) one step: its approval, its policies on input, then its task. */
  function begin(
    run: StoredRun,
    name: string,
    round: number,
    attempt: number,
    feedback: readonly string[],
    parent: string | null
  ): void {
    const step = stepDef(run, name)
    const packages = Object.fromEntries(
      store
        .steps(run.id)
        .filter((s) => s.status === 'passed' && s.package)
        .map((s) => [s.step, s.package!] as const)
    )
    const prompt = renderPrompt(step, { input: run.input, round, feedback, packages })
    const blocked = inputViolations(run.definition, step, prompt, run.tokensUsed)
    if (blocked.length) {
      const problems = blocked.map((v) => v.message)
      const row = blockStep(
        run,
        name,
        round,
        attempt,
        '',
        problems,
        `Step "${name}" was blocked before it started: ${problems.join(' ')}`
      )
      recordBlocks(run, row, blocked, null)
      return
    }
    if (step.approval && attempt === 1) {
      if (!deps.approvals) {
        const reason = `Step "${name}" needs a person's approval (${step.approval.reason}), and this app has no approval queue running.`
        blockStep(run, name, round, attempt, prompt, [reason], reason)
        return
      }
      const approvalId = deps.approvals.request({
        runId: run.id,
        taskId: null,
        step: name,
        title: `${run.definition.title}: ${name} for "${run.title}"`,
        reason: step.approval.reason,
        correlationId: run.correlationId
      })
      const row = store.addStep(run.id, {
        step: name,
        round,
        attempt,
        status: 'waiting_approval',
        taskId: null,
        approvalId,
        prompt,
        tokens: 0
      })
      store.updateRun(run.id, { status: 'waiting_approval' })
      awaitApproval(run.id, row, parent)
      return
    }
    const row = store.addStep(run.id, {
      step: name,
      round,
      attempt,
      status: 'running',
      taskId: null,
      prompt,
      tokens: estimateTokens(prompt)
    })
    launch(run, row, step, parent)
  }

  function awaitApproval(runId: string, row: StoredStep, parent: string | null): void {
    if (!deps.approvals || !row.approvalId || approvalWaits.has(row.id)) return
    let off: (() => void) | null = null
    let settled = false
    off = deps.approvals.onDecided(row.approvalId, (verdict) => {
      settled = true
      approvalWaits.get(row.id)?.()
      approvalWaits.delete(row.id)
      const run = store.getRun(runId)
      if (!run || run.status !== 'waiting_approval') return
      if (verdict.status === 'rejected') {
        store.updateStep(row.id, {
          status: 'cancelled',
          problems: [`Rejected by ${verdict.by}${verdict.note ? `: ${verdict.note}` : ''}`],
          finished: true
        })
        failRun(run, `Step "${row.step}" was rejected by ${verdict.by}${verdict.note ? `: ${verdict.note}` : ''}.`)
      } else {
        store.updateRun(run.id, { status: 'running' })
        store.updateStep(row.id, { status: 'running', tokens: estimateTokens(row.prompt) })
        launch(store.getRun(runId) as StoredRun, { ...row, status: 'running' }, stepDef(run, row.step), parent)
      }
      emit(runId)
    })
    if (!settled) approvalWaits.set(row.id, off)
    else off()
  }

  function launch(run: StoredRun, row: StoredStep, step: WorkflowStep, parent: string | null): void {
    if (step.action === 'consult_board') {
      void finisher.consultBoard(run, row, step)
      return
    }
    const domain = DOMAIN_OF[step.kind]
    // The title names run, step, round and try: the queue's dedup then makes re-creating it after a crash return this same task.
    const task = tasks.create({
      title: `${run.definition.title} · ${step.name} · round ${row.round}${row.attempt > 1 ? ` try ${row.attempt}` : ''} [${run.id}]`,
      description: row.prompt,
      assigneeExpert: step.expert ?? step.role,
      ...(domain ? { domain } : {}),
      ...(parent ? { parentTaskId: parent } : {}),
      metadata: { workflowRunId: run.id, workflowStep: step.name, round: row.round, attempt: row.attempt },
      correlationId: run.correlationId
    })
    store.updateStep(row.id, { status: 'running', taskId: task.id })
    watch(run.id, { ...row, taskId: task.id }, task)
  }

  function watch(runId: string, row: StoredStep, task: QueuedTask): void {
    if (isSettled(task)) return void settle(runId, row, task)
    if (watches.has(row.id)) return
    watches.set(
      row.id,
      tasks.watch([task.id], (changed) => {
        if (isSettled(changed)) settle(runId, row, changed)
        else if (changed.status === 'deferred_to_human') {
          // A person may return it from manual review: the run waits for that, and says so.
          const run = store.getRun(runId)
          if (run)
            store.updateRun(runId, {
              error: `Step "${row.step}" is in manual review (${changed.lastError ?? 'attempts used up'}); return it to autoprocessing to go on.`
            })
          emit(runId)
        }
      })
    )
  }

  function settle(runId: string, row: StoredStep, task: QueuedTask): void {
    watches.get(row.id)?.()
    watches.delete(row.id)
    if (handling.has(row.id)) return
    handling.add(row.id)
    void finisher
      .finish(runId, row, task)
      .catch((error: unknown) =>
        log.error('workflow step could not be finished', { run_id: runId, step: row.step, error: String(error) })
      )
      .finally(() => {
        handling.delete(row.id)
        emit(runId)
      })
  }

  const gate = createApplyGate({ ...deps, record, emit })
  const finisher = createStepFinisher({
    ...deps,
    begin,
    failRun,
    record,
    recordBlocks,
    stepDef,
    requestApply: (run) => gate.request(run)
  })

  return {
    start(input: StartRun): StoredRun {
      const run = store.createRun({ ...input, messageId: input.messageId })
      const first = input.definition.steps[0] as WorkflowStep
      begin(run, first.name, 1, 1, [], null)
      emit(run.id)
      return store.getRun(run.id) as StoredRun
    },
    /** Picks up every run that was under way when the app last stopped (or died). */
    resume(): void {
      for (const run of store.activeRuns()) {
        const last = store.lastStep(run.id)
        if (!last) begin(run, (run.definition.steps[0] as WorkflowStep).name, 1, 1, [], null)
        else if (last.status === 'waiting_approval') awaitApproval(run.id, last, previousTask(run.id, last))
        else if (run.status === 'waiting_approval') gate.resume(run)
        else if (last.status === 'running' && last.taskId) {
          const task = tasks.get(last.taskId)
          if (task) watch(run.id, last, task)
          else
            failRun(run, `The task ${last.taskId} of step "${last.step}" is gone from the queue; start the run again.`)
        } else if (last.status === 'running') launch(run, last, stepDef(run, last.step), previousTask(run.id, last))
        emit(run.id)
      }
    },
    async cancel(runId: string): Promise<StoredRun | null> {
      const run = store.getRun(runId)
      if (!run) return null
      if (run.status !== 'running' && run.status !== 'waiting_approval') return run
      const last = store.lastStep(runId)
      store.transaction(() => {
        if (last && (last.status === 'running' || last.status === 'waiting_approval'))
          store.updateStep(last.id, { status: 'cancelled', finished: true })
        failRun(run, 'Cancelled by a person.', 'cancelled')
        gate.cancel(runId)
      })
      if (last) {
        watches.get(last.id)?.()
        watches.delete(last.id)
        approvalWaits.get(last.id)?.()
        approvalWaits.delete(last.id)
        // A step's request nobody needs to decide any more leaves the queue.
        if (last.status === 'waiting_approval' && last.approvalId)
          deps.approvals?.withdraw(last.approvalId, 'The run was cancelled before this step started.')
        if (last.taskId && last.status === 'running') await deps.cancelTask(last.taskId)
      }
      emit(runId)
      return store.getRun(runId)
    },
    /** True while no settled step is being finished (its checks and actions may still be awaited). */
    idle: (): boolean => handling.size === 0,
    /** The run's write of its files into the real folder, when it wrote any. */
    applyOf: (runId: string) => gate.view(runId),
    stop(): void {
      gate.stop()
      for (const off of [...watches.values(), ...approvalWaits.values()]) off()
      watches.clear()
      approvalWaits.clear()
    }
  }

  function previousTask(runId: string, row: StoredStep): string | null {
    return (
      store
        .steps(runId)
        .filter((s) => s.seq < row.seq && s.taskId)
        .at(-1)?.taskId ?? null
    )
  }
}

const isSettled = (task: QueuedTask): boolean =>
  task.status === 'completed' || task.status === 'failed' || task.status === 'cancelled'

export type WorkflowRunner = ReturnType<typeof createWorkflowRunner>
