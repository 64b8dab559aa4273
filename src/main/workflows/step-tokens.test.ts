import { describe, expect, it } from 'vitest'
import { createUsageLedger, type UsageLedger } from '../usage/usage-ledger'
import type { TaskForProcessing } from '../ports/task-processor'
import { useTempDirs } from '../test-support/temp-dir'
import { builtinWorkflowFiles } from './builtin-workflows'
import { loadDefinitions } from './definition-loader'
import { estimateTokens } from './policies'
import { CODE_REVIEW_ANSWERS as A, stepOf, workflowHarness } from './testing/workflow-harness'

const codeReview = () =>
  loadDefinitions(builtinWorkflowFiles(), '/nonexistent').workflows.find((w) => w.definition.id === 'code-review')!
    .definition

/** One model call of a step's task, as the router's usage hook writes it. */
function count(
  ledger: UsageLedger,
  task: TaskForProcessing,
  tokensIn: number,
  tokensOut: number,
  counted: 'backend' | 'estimate'
) {
  ledger.record({
    correlationId: 'corr',
    source: 'workflow',
    purpose: 'task',
    taskId: task.id,
    expertId: task.assigneeExpert,
    info: {
      node: 'ollama-local',
      model: 'llama3.2:3b',
      tokensIn,
      tokensOut,
      counted,
      ttftMs: null,
      durationMs: 5,
      fellBack: false
    }
  })
}

function ledgerOn(h: { db: Parameters<typeof createUsageLedger>[0] }): UsageLedger {
  return createUsageLedger(h.db, {
    pricePer1k: () => 0,
    tokenBudget: () => 0,
    budgetPeriod: () => 'day',
    isRemoteNode: () => false
  })
}

const startRun = (h: ReturnType<typeof workflowHarness>) =>
  h.workflows.service.runner.start({
    definition: codeReview(),
    input: 'Write an add() helper for two numbers.',
    title: 'add',
    source: 'form',
    messageId: null,
    correlationId: 'corr'
  })

describe("a run's token budget", () => {
  const tempDir = useTempDirs()

  it("counts a step by the model server's own counts where it reported them, and estimates only where it did not", async () => {
    let ledger: UsageLedger | null = null
    const h = workflowHarness(tempDir(), {
      script: (task) => {
        const { step } = stepOf(task)
        // The coder's server reports its counts (two calls: a retry counts too); the librarian's reports none; the reviewer's no call is in the ledger.
        if (step === 'coder') {
          count(ledger!, task, 700, 150, 'backend')
          count(ledger!, task, 600, 50, 'backend')
          return { kind: 'answer', text: A.coder(1) }
        }
        if (step === 'librarian') {
          count(ledger!, task, 300, 40, 'estimate')
          return { kind: 'answer', text: A.librarian() }
        }
        return { kind: 'answer', text: A.reviewer('accept') }
      }
    })
    ledger = ledgerOn(h)
    const run = startRun(h)
    await h.settled(run.id)
    const steps = h.workflows.service.store.steps(run.id)
    expect(steps.map((s) => [s.step, s.tokens, s.tokensCounted])).toEqual([
      ['coder', 1500, 'backend'],
      ['librarian', 340, 'estimate'],
      ['reviewer', estimateTokens(steps[2]!.prompt) + estimateTokens(A.reviewer('accept')), 'estimate']
    ])
    expect(h.workflows.service.store.getRun(run.id)?.tokensUsed).toBe(1500 + 340 + steps[2]!.tokens)
    await h.stop()
  })

  it('stops a run when the counted tokens pass its budget, though its answers are short', async () => {
    let ledger: UsageLedger | null = null
    const h = workflowHarness(tempDir(), {
      script: (task) => {
        // A long context makes the prompt cost far more than its text suggests: 4 characters a token would let it pass.
        count(ledger!, task, 90_000, 120, 'backend')
        return { kind: 'answer', text: A.coder(1) }
      }
    })
    ledger = ledgerOn(h)
    const run = startRun(h)
    await h.settled(run.id)
    const stopped = h.workflows.service.store.getRun(run.id)
    expect(stopped?.status).toBe('failed')
    expect(stopped?.error).toContain('of its 80000 tokens')
    expect(h.workflows.service.store.steps(run.id)[0]).toMatchObject({
      status: 'blocked',
      tokens: 90_120,
      tokensCounted: 'backend'
    })
    await h.stop()
  })
})
