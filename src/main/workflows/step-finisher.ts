import type { HandoffPackage, PolicyViolation, WorkflowStep } from '../../shared/contract/workflows-contract'
import type { Logger } from '../log/logger'
import type { DecisionLog, DecisionRecord } from '../ports/decision-log'
import type { ResultValidator, TestRunner } from '../ports/result-validator'
import type { QueuedTask } from '../ports/task-queue'
import { testCodeInScratch } from './code-step'
import { knowledgeEntry } from './knowledge-entry'
import { estimateTokens, judgeAnswer } from './step-judgement'
import type { StoredRun, StoredStep, TokensCounted, WorkflowStore } from './workflow-store'
import type { WrittenFile } from './workspace-files'

/** A task's tokens as the usage ledger holds them; null when the ledger has no call of it. */
export type TaskTokens = (taskId: string) => { readonly tokens: number; readonly counted: TokensCounted } | null

/** What the runner does on a step's behalf, plugged in by the composition root. */
export interface StepActions {
  /** Files the entry under `source`; an entry already filed under it is replaced, keeping its id. */
  fileKnowledge(entry: { title: string; content: string; source: string }): Promise<{ id: string; title: string }>
  consultBoard(
    question: string,
    correlationId: string
  ): Promise<{ id: string; decision: string; outcome: string; rationale: string; risks: readonly string[] }>
}

type RecordDecision = (
  run: StoredRun,
  step: StoredStep | null,
  d: Omit<DecisionRecord, 'runId' | 'correlationId'>
) => void

export interface FinisherDeps {
  readonly store: WorkflowStore
  readonly decisions: DecisionLog
  /** The newest verdict already given on a task, so a result the worker's validator judged is not judged twice. */
  readonly priorVerdict: (taskId: string) => { readonly decision: string; readonly reasons: readonly string[] } | null
  readonly actions: StepActions
  readonly validator: ResultValidator | null
  readonly testRunner: TestRunner | null
  readonly resolvePath: (path: string) => string
  readonly taskTokens: TaskTokens | null
  readonly log: Logger
  /** When a run would complete: asks a person to apply its files, and says whether the run now waits for that. */
  requestApply(run: StoredRun): boolean
  begin(
    run: StoredRun,
    name: string,
    round: number,
    attempt: number,
    feedback: readonly string[],
    parent: string | null
  ): void
  failRun(run: StoredRun, message: string): void
  record: RecordDecision
  recordBlocks(run: StoredRun, row: StoredStep, violations: readonly PolicyViolation[], model: string | null): void
  stepDef(run: StoredRun, name: string): WorkflowStep
}

/** What a finished step spent: `delta` is added to the step's row (its prompt's estimate was counted when it began). */
interface Spent {
  readonly delta: number
  readonly total: number
  readonly counted: TokensCounted
}

/**
 * Finishes a step whose task has settled: judges the package, asks the
 * validator and the tests, does the step's action, then in ONE transaction
 * writes the step's outcome, its decisions and the next step (whose task is
 * created on the same connection). A crash before that commit leaves the step
 * running with a settled task, and resume() finishes it again.
 */
export function createStepFinisher(deps: FinisherDeps) {
  const { store, record, recordBlocks } = deps

  /** The same step answers again, or the run ends when it has had its tries. */
  function resend(
    run: StoredRun,
    row: StoredStep,
    step: WorkflowStep,
    task: QueuedTask,
    pkg: HandoffPackage,
    problems: string[],
    spent: Spent,
    files: readonly WrittenFile[] = []
  ): void {
    store.updateStep(row.id, {
      status: 'sent_back',
      package: pkg,
      problems,
      model: task.model ?? null,
      tokens: spent.delta,
      tokensCounted: spent.counted,
      files,
      finished: true
    })
    store.updateRun(run.id, { addTokens: spent.total })
    record(run, row, {
      taskId: task.id,
      step: step.name,
      role: 'workflow',
      decision: 'sent_back',
      kind: 'sent_back',
      reasons: problems,
      model: task.model ?? null
    })
    if (row.attempt < step.maxAttempts) deps.begin(fresh(run), step.name, row.round, row.attempt + 1, problems, task.id)
    else
      deps.failRun(run, `Step "${step.name}" was sent back ${row.attempt} times and still lacks: ${problems.join(' ')}`)
  }

  /** The package is handed on: to the reviewer's send-back target, to the next step, or the run completes. */
  function handOn(
    run: StoredRun,
    row: StoredStep,
    step: WorkflowStep,
    task: QueuedTask | null,
    pkg: HandoffPackage,
    verdict: { decision: 'accept' | 'send_back'; reasons: string } | null,
    spent: Spent,
    files: readonly WrittenFile[] = []
  ): void {
    const model = task?.model ?? null
    store.updateStep(row.id, {
      status: 'passed',
      package: pkg,
      model,
      tokens: spent.delta,
      tokensCounted: spent.counted,
      files,
      finished: true
    })
    store.updateRun(run.id, { addTokens: spent.total, error: null })
    const taskId = task?.id ?? null
    if (verdict?.decision === 'send_back' && step.review) {
      const target = step.review.sendBackTo
      const lastRound = run.round >= run.definition.maxRounds
      record(run, row, {
        taskId,
        step: step.name,
        role: step.role,
        decision: 'send_back',
        kind: 'sent_back',
        reasons: [
          verdict.reasons,
          lastRound
            ? `No rounds left (${run.definition.maxRounds} allowed).`
            : `Back to "${target}" for round ${run.round + 1}.`
        ],
        model
      })
      if (lastRound)
        return deps.failRun(
          run,
          `The ${step.role} sent the work back in round ${run.round}, the last of ${run.definition.maxRounds}: ${verdict.reasons}`
        )
      store.updateRun(run.id, { round: run.round + 1 })
      return deps.begin(fresh(run), target, run.round + 1, 1, [`The ${step.role} said: ${verdict.reasons}`], taskId)
    }
    const index = run.definition.steps.findIndex((s) => s.name === step.name)
    const next = run.definition.steps[index + 1]
    record(run, row, {
      taskId,
      step: step.name,
      role: step.role,
      decision: verdict ? 'accepted' : 'handed_off',
      kind: 'handoff',
      reasons: [
        verdict
          ? verdict.reasons
          : next
            ? `Package complete; handed to "${next.name}".`
            : 'Package complete; the run is done.'
      ],
      model
    })
    if (next) return deps.begin(fresh(run), next.name, row.round, 1, [], taskId)
    if (!deps.requestApply(fresh(run))) store.updateRun(run.id, { status: 'completed', error: null })
  }

  /** The latest passed package of each step this one reads. */
  const inputsOf = (run: StoredRun, step: WorkflowStep): [string, HandoffPackage][] =>
    step.inputs.flatMap((name) => {
      const pkg = store
        .steps(run.id)
        .filter((s) => s.step === name && s.status === 'passed')
        .at(-1)?.package
      return pkg ? [[name, pkg] as [string, HandoffPackage]] : []
    })
  const estimated = (row: StoredStep, answer: string): Spent => {
    const delta = estimateTokens(answer)
    return { delta, total: row.tokens + delta, counted: 'estimate' }
  }
  /** The model server's own counts from the usage ledger where it reported them; 4 characters a token where not. */
  const spentOn = (row: StoredStep, task: QueuedTask, answer: string): Spent => {
    const counted = deps.taskTokens?.(task.id)
    if (!counted) return estimated(row, answer)
    return { delta: counted.tokens - row.tokens, total: counted.tokens, counted: counted.counted }
  }
  const fresh = (run: StoredRun): StoredRun => store.getRun(run.id) ?? run
  const stillRunning = (run: StoredRun, row: StoredStep): boolean =>
    fresh(run).status === 'running' && store.steps(run.id).find((s) => s.id === row.id)?.status === 'running'

  /** Validator and tests: the reasons to send the package back (none when it passes), and the files its tests ran with. */
  async function checks(
    run: StoredRun,
    row: StoredStep,
    step: WorkflowStep,
    task: QueuedTask,
    answer: string,
    pkg: HandoffPackage
  ): Promise<{ problems: string[]; files: WrittenFile[] }> {
    const problems: string[] = []
    const prior = deps.priorVerdict(task.id)
    // The worker's validator already judged this answer (it would not have completed otherwise): its verdict stands.
    if (step.validate && deps.validator && (!prior || prior.decision === 'rejected')) {
      try {
        // The validator writes its verdict to the decision log itself (ports/decision-log.ts).
        const verdict = await deps.validator.validate({
          taskId: task.id,
          kind: step.kind,
          instruction: row.prompt,
          result: answer,
          correlationId: run.correlationId
        })
        if (!verdict.passed)
          problems.push(
            `The validator scored it ${verdict.score.toFixed(2)}: ${verdict.reasons.join('; ') || 'below the pass mark'}.`
          )
      } catch (error) {
        // A validator that cannot judge (its model is down) must not stop the work; the log says it was not judged.
        record(run, row, {
          taskId: task.id,
          step: step.name,
          role: 'validator',
          decision: 'unjudged',
          kind: 'validation',
          reasons: [error instanceof Error ? error.message : String(error)],
          model: null
        })
      }
    }
    if (!step.tests) return { problems, files: [] }
    if (!deps.testRunner)
      return { problems: [...problems, 'The step declares tests, and this app has no test runner.'], files: [] }
    const tested = await testCodeInScratch({
      runner: deps.testRunner,
      tests: step.tests,
      folder: deps.resolvePath(step.tests.cwd),
      artifacts: pkg.artifacts,
      taskId: task.id,
      runId: run.id
    })
    record(run, row, {
      taskId: task.id,
      step: step.name,
      role: 'tests',
      decision: tested.decision,
      kind: 'validation',
      reasons: tested.reasons,
      model: null
    })
    return { problems: [...problems, ...tested.problems], files: tested.files }
  }

  return {
    async finish(runId: string, row: StoredStep, task: QueuedTask): Promise<void> {
      const run = store.getRun(runId)
      if (!run || !stillRunning(run, row)) return
      const step = deps.stepDef(run, row.step)
      if (task.status !== 'completed') {
        const why = `Step "${step.name}" ended as ${task.status}: ${task.lastError ?? 'no reason given'}`
        return store.transaction(() => {
          store.updateStep(row.id, {
            status: task.status === 'cancelled' ? 'cancelled' : 'failed',
            problems: [why],
            model: task.model ?? null,
            finished: true
          })
          record(run, row, {
            taskId: task.id,
            step: step.name,
            role: step.role,
            decision: task.status,
            kind: 'escalation',
            reasons: [why],
            model: task.model ?? null
          })
          deps.failRun(run, why)
        })
      }
      const answer = task.result ?? ''
      const spent = spentOn(row, task, answer)
      const judged = judgeAnswer({
        definition: run.definition,
        step,
        answer,
        tokensBefore: run.tokensUsed,
        tokens: spent.total
      })
      if (judged.kind === 'stop')
        return store.transaction(() => {
          store.updateStep(row.id, {
            status: 'blocked',
            package: judged.pkg,
            problems: judged.violations.map((v) => v.message),
            tokens: spent.delta,
            tokensCounted: spent.counted,
            finished: true
          })
          store.updateRun(run.id, { addTokens: spent.total })
          recordBlocks(run, row, judged.violations, task.model ?? null)
          deps.failRun(run, judged.violations.map((v) => v.message).join(' '))
        })
      if (judged.kind === 'resend')
        return store.transaction(() => {
          recordBlocks(run, row, judged.violations, task.model ?? null)
          resend(
            run,
            row,
            step,
            task,
            judged.pkg,
            [...judged.missing, ...judged.violations.map((v) => v.message)],
            spent
          )
        })
      const { problems, files } = await checks(run, row, step, task, answer, judged.pkg)
      if (!stillRunning(run, row)) return
      if (problems.length)
        return store.transaction(() => resend(run, row, step, task, judged.pkg, problems, spent, files))
      let filed: { id: string; title: string } | null = null
      if (step.action === 'file_knowledge') {
        const title = judged.pkg.fields['Title'] ?? `${run.title} (${step.name})`
        try {
          // The run's one entry: filed in round 1, its text replaced on later rounds (same source, same node).
          filed = await deps.actions.fileKnowledge({
            title,
            content: knowledgeEntry(run, row.round, judged.pkg, inputsOf(run, step)),
            source: `workflow:${run.id}`
          })
        } catch (error) {
          return store.transaction(() =>
            deps.failRun(
              run,
              `Step "${step.name}" could not file its entry in the knowledge base: ${error instanceof Error ? error.message : String(error)}`
            )
          )
        }
        if (!stillRunning(run, row)) return
      }
      store.transaction(() => {
        if (filed) store.addFiled(run.id, filed.id, filed.title)
        handOn(run, row, step, task, judged.pkg, judged.verdict, spent, files)
      })
    },
    async consultBoard(run: StoredRun, row: StoredStep, step: WorkflowStep): Promise<void> {
      const question = row.prompt.split('\n\nAnswer in Markdown')[0]?.slice(0, 3900) ?? row.prompt
      try {
        const decision = await deps.actions.consultBoard(question, run.correlationId)
        if (!stillRunning(run, row)) return
        const pkg: HandoffPackage = {
          summary: decision.decision,
          artifacts: [],
          openQuestions: [],
          sources: [`board decision ${decision.id}`],
          fields: { Outcome: decision.outcome, Rationale: decision.rationale, Risks: decision.risks.join('\n') }
        }
        store.transaction(() =>
          handOn(run, row, step, null, pkg, null, estimated(row, decision.decision + decision.rationale))
        )
      } catch (error) {
        if (!stillRunning(run, row)) return
        store.transaction(() => {
          const why = error instanceof Error ? error.message : String(error)
          store.updateStep(row.id, { status: 'failed', problems: [why], finished: true })
          deps.failRun(run, `The board could not decide on step "${step.name}": ${why}`)
        })
      }
    }
  }
}
