import type { TaskForProcessing } from '../../ports/task-processor'
export { CODE_REVIEW_ANSWERS, stepOf } from './code-review-answers'
import type { Approvals } from '../../ports/approvals'
import type { ResultValidator, TestRunner } from '../../ports/result-validator'
import { createTaskQueue } from '../../tasks/task-queue'
import { scriptedProcessor, type Step } from '../../tasks/testing/scripted-processor'
import { testEngine, until } from '../../tasks/testing/test-engine'
import type { RunSummary } from '../../../shared/contract/workflows-contract'
import { createDecisionLogStore } from '../decision-log-store'
import type { StepActions } from '../step-finisher'
import { createWorkflowsCapability } from '../workflows-capability'
import { memoryLogger } from '../../test-support/memory-logger'
import type { Db } from '../../db/database'
import { createApprovalQueue, type ApprovalQueue } from '../../approvals/approval-queue'
import { taskTokensFrom } from '../../usage/task-tokens'

export interface HarnessOptions {
  readonly script: (task: TaskForProcessing) => Step
  readonly builtins?: Record<string, string>
  readonly validator?: ResultValidator
  readonly testRunner?: TestRunner
  /** An approvals port; `'queue'` uses the real approvals queue on the harness's database. */
  readonly approvals?: Approvals | 'queue'
  readonly db?: Db
}

/**
 * A workflow capability on a real task engine and SQLite, with the model
 * scripted per step and the knowledge base and the board recorded in memory.
 */
export function workflowHarness(dir: string, options: HarnessOptions) {
  const processor = scriptedProcessor((task) => options.script(task))
  const harness = testEngine(dir, processor, { 'worker.maxAttempts': 2 }, options.db ? { db: options.db } : {})
  const { engine, db } = harness
  engine.start()
  const filed: { title: string; content: string; source: string }[] = []
  const questions: string[] = []
  const actions: StepActions = {
    // As knowledge.addText with replace: one node per source, its text replaced when filed again.
    async fileKnowledge(entry) {
      filed.push(entry)
      const first = filed.findIndex((f) => f.source === entry.source)
      return { id: `kb_${first + 1}`, title: entry.title }
    },
    async consultBoard(question) {
      questions.push(question)
      return {
        id: 'bd_1',
        decision: 'Adopt the plan in Q3.',
        outcome: 'approved',
        rationale: 'It pays back in a year.',
        risks: ['cost']
      }
    }
  }
  const changes: RunSummary[] = []
  const decisions = createDecisionLogStore(db)
  const approvalQueue: ApprovalQueue | null =
    options.approvals === 'queue' ? createApprovalQueue({ db, changed: () => undefined, decisions }) : null
  const workflows = createWorkflowsCapability({
    db,
    events: { emit: (name, payload) => void (name === 'workflows.changed' && changes.push(payload as RunSummary)) },
    log: memoryLogger().logger,
    dataDir: dir,
    decisions,
    tasks: createTaskQueue(engine),
    cancelTask: async (id) => void (await engine.cancel(id)),
    actions,
    validator: options.validator ?? null,
    testRunner: options.testRunner ?? null,
    approvals: approvalQueue ?? (options.approvals === 'queue' ? null : (options.approvals ?? null)),
    // The real ledger query: a step whose task the ledger holds no call of is estimated, as in the app.
    taskTokens: taskTokensFrom(db),
    ...(options.builtins ? { builtins: options.builtins } : {})
  })
  const { store } = workflows.service
  return {
    ...harness,
    processor,
    workflows,
    decisions,
    filed,
    questions,
    changes,
    approvalQueue,
    /** Waits until the run has ended (or is waiting for a person). */
    async settled(runId: string, statuses: readonly string[] = ['completed', 'failed', 'cancelled']): Promise<void> {
      await until(
        () => statuses.includes(store.getRun(runId)?.status ?? '') && workflows.service.runner.idle(),
        `run ${runId} to be ${statuses.join('/')}`
      )
    },
    async stop(): Promise<void> {
      workflows.stop?.()
      await engine.stop()
    }
  }
}
