import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ApprovalVerdict, Approvals } from '../ports/approvals'
import type { TestRunOutcome } from '../ports/result-validator'
import { useTempDirs } from '../test-support/temp-dir'
import { builtinWorkflowFiles } from './builtin-workflows'
import { loadDefinitions } from './definition-loader'
import { CODE_REVIEW_ANSWERS as A, stepOf, workflowHarness } from './testing/workflow-harness'

const definition = (id: string) => {
  const found = loadDefinitions(builtinWorkflowFiles(), '/nonexistent').workflows.find((w) => w.definition.id === id)
  if (!found) throw new Error(`no built-in ${id}`)
  return found.definition
}

const start = (
  h: ReturnType<typeof workflowHarness>,
  id = 'code-review',
  input = 'Write an add() helper for two numbers.'
) =>
  h.workflows.service.runner.start({
    definition: definition(id),
    input,
    title: 'add helper',
    source: 'form',
    messageId: null,
    correlationId: 'corr-1'
  })

describe('workflow runs on the task engine', () => {
  const tempDir = useTempDirs()

  it('runs coder → librarian → reviewer, takes one send-back, and logs every decision', async () => {
    const h = workflowHarness(tempDir(), {
      script: (task) => {
        const { step, round } = stepOf(task)
        if (step === 'coder') return { kind: 'answer', text: A.coder(round) }
        if (step === 'librarian') return { kind: 'answer', text: A.librarian() }
        return { kind: 'answer', text: A.reviewer(round === 1 ? 'send_back' : 'accept') }
      }
    })
    const run = start(h)
    await h.settled(run.id)
    const { store } = h.workflows.service
    expect(store.getRun(run.id)).toMatchObject({ status: 'completed', round: 2, error: null })
    const steps = store.steps(run.id)
    expect(steps.map((s) => `${s.step}:${s.round}:${s.status}`)).toEqual([
      'coder:1:passed',
      'librarian:1:passed',
      'reviewer:1:passed',
      'coder:2:passed',
      'librarian:2:passed',
      'reviewer:2:passed'
    ])
    // A chain of tasks: each step's task is the child of the one before, and carries the run id.
    const tasks = steps.map((s) => h.engine.store.get(s.taskId!)!)
    expect(tasks[0]?.parentTaskId).toBeNull()
    for (let i = 1; i < tasks.length; i++) expect(tasks[i]?.parentTaskId).toBe(tasks[i - 1]?.id)
    for (const t of tasks) expect(t.metadata).toMatchObject({ workflowRunId: run.id })
    // The coder's second prompt carries the reviewer's reasons.
    expect(tasks[3]?.description).toContain('The reviewer said: Add a test for negative numbers.')
    expect(tasks[2]?.description).toContain('Review round 1')
    // The librarian files the run's one entry in round 1 and replaces its text in round 2: one entry, two versions.
    expect(h.filed.map((f) => `${f.title} @ ${f.source}`)).toEqual([
      `add() helper for numbers @ workflow:${run.id}`,
      `add() helper for numbers @ workflow:${run.id}`
    ])
    expect(h.filed[0]?.content).toContain('export const add')
    expect(h.filed[0]?.content).toContain(', round 1.')
    expect(h.filed[1]?.content).toContain(', round 2.')
    expect(h.filed[1]?.content).toContain('round 2 of the work')
    expect(store.filed(run.id)).toEqual([{ id: 'kb_1', title: 'add() helper for numbers' }])
    const log = h.decisions.forRun(run.id)
    expect(log.map((d) => `${d.step}/${d.role}/${d.decision}`)).toEqual([
      'coder/coder/handed_off',
      'librarian/librarian/handed_off',
      'reviewer/reviewer/send_back',
      'coder/coder/handed_off',
      'librarian/librarian/handed_off',
      'reviewer/reviewer/accepted'
    ])
    expect(log[2]).toMatchObject({ kind: 'sent_back', correlationId: 'corr-1', model: 'echo', taskId: tasks[2]?.id })
    expect(log[2]?.reasons[0]).toBe('Add a test for negative numbers.')
    const exported = h.decisions.exportJson(run.id)
    expect(exported.count).toBe(6)
    expect(createHash('sha256').update(exported.json).digest('hex')).toBe(exported.sha256)
    expect(h.decisions.exportJson(run.id)).toEqual(exported)
    expect(h.changes.at(-1)).toMatchObject({ id: run.id, status: 'completed' })
    await h.stop()
  })

  it('sends an incomplete package back to the same step with what is missing, and fails after its tries', async () => {
    const h = workflowHarness(tempDir(), {
      script: () => ({ kind: 'answer', text: 'Here is some code, trust me, it is all fine and complete.' })
    })
    const run = start(h)
    await h.settled(run.id)
    const { store } = h.workflows.service
    const steps = store.steps(run.id)
    expect(steps.map((s) => `${s.step}:${s.attempt}:${s.status}`)).toEqual([
      'coder:1:sent_back',
      'coder:2:sent_back',
      'coder:3:sent_back'
    ])
    expect(steps[0]?.problems[0]).toMatch(/^Summary: missing/)
    expect(h.engine.store.get(steps[1]!.taskId!)?.description).toContain('Your previous answer was sent back')
    expect(store.getRun(run.id)).toMatchObject({ status: 'failed' })
    expect(store.getRun(run.id)?.error).toContain('was sent back 3 times')
    await h.stop()
  })

  it('blocks a hand-off that carries a key, logs it without the key, and keeps only the redacted package', async () => {
    const key = `ghp_${'a1B2'.repeat(10)}`
    let calls = 0
    const h = workflowHarness(tempDir(), {
      script: (task) => {
        const { step, round } = stepOf(task)
        if (step === 'coder' && calls++ === 0)
          return { kind: 'answer', text: `${A.coder(round)}\n\nToken used: ${key}` }
        if (step === 'coder') return { kind: 'answer', text: A.coder(round) }
        if (step === 'librarian') return { kind: 'answer', text: A.librarian() }
        return { kind: 'answer', text: A.reviewer('accept') }
      }
    })
    const run = start(h)
    await h.settled(run.id)
    const blocked = h.decisions.forRun(run.id).filter((d) => d.kind === 'policy_block')
    expect(blocked).toHaveLength(1)
    expect(blocked[0]).toMatchObject({ role: 'policy:no_secrets', step: 'coder', decision: 'blocked' })
    expect(JSON.stringify(h.decisions.exportJson())).not.toContain(key)
    const first = h.workflows.service.store.steps(run.id)[0]
    expect(first?.status).toBe('sent_back')
    expect(JSON.stringify(first?.package)).not.toContain(key)
    expect(h.workflows.service.store.getRun(run.id)?.status).toBe('completed')
    await h.stop()
  })

  it('stops a run that would spend more than its token budget', async () => {
    const h = workflowHarness(tempDir(), {
      script: (task) => ({ kind: 'answer', text: `${A.coder(stepOf(task).round)}\n${'padding '.repeat(50_000)}` })
    })
    const run = start(h)
    await h.settled(run.id)
    const run2 = h.workflows.service.store.getRun(run.id)
    expect(run2?.status).toBe('failed')
    expect(run2?.error).toContain('of its 80000 tokens')
    expect(h.decisions.forRun(run.id).map((d) => d.role)).toEqual(['policy:token_budget'])
    await h.stop()
  })

  it('sends a package the validator fails or whose tests fail back to its step, with the reasons', async () => {
    const scores = [0.2, 0.9]
    const outcomes: TestRunOutcome[] = [
      {
        status: 'failed',
        exitCode: 1,
        passed: 3,
        failed: 1,
        coveragePercent: null,
        format: 'summary_line',
        output: '1 failed: negative numbers',
        durationMs: 40
      },
      {
        status: 'passed',
        exitCode: 0,
        passed: 4,
        failed: 0,
        coveragePercent: 91,
        format: 'summary_line',
        output: 'ok',
        durationMs: 40
      }
    ]
    const withTests = JSON.parse(builtinWorkflowFiles()['builtin:code-review.json']!) as {
      steps: { tests?: unknown }[]
    }
    withTests.steps[0]!.tests = { command: 'npm test', cwd: 'project' }
    const dir = tempDir()
    mkdirSync(join(dir, 'project'))
    const requests: string[] = []
    // The callbacks run after h is assigned: they are called by the engine, never during construction.
    const h: ReturnType<typeof workflowHarness> = workflowHarness(dir, {
      builtins: { 'builtin:code-review.json': JSON.stringify(withTests) },
      validator: {
        // As the validation capability's validator does, it writes its verdict to the decision log itself.
        validate: async (input) => {
          const score = scores.shift() ?? 0.9
          const reasons = score < 0.5 ? ['does not handle NaN'] : []
          h.decisions.record({
            runId: null,
            taskId: input.taskId,
            step: null,
            role: 'validator',
            decision: score >= 0.5 ? 'accepted' : 'rejected',
            kind: 'validation',
            reasons: [`score ${score.toFixed(2)}`, ...reasons],
            model: 'judge',
            correlationId: input.correlationId
          })
          return { score, passed: score >= 0.5, reasons, model: 'judge' }
        }
      },
      testRunner: {
        run: async (request) => {
          requests.push(request.copyOf ?? '')
          return outcomes.shift() ?? outcomes[1]!
        }
      },
      script: (task) => {
        const { step, round } = stepOf(task)
        if (step === 'coder') return { kind: 'answer', text: A.coder(round) }
        if (step === 'librarian') return { kind: 'answer', text: A.librarian() }
        return { kind: 'answer', text: A.reviewer('accept') }
      }
    })
    const def = h.workflows.service.definitions().workflows[0]!.definition
    const run = h.workflows.service.runner.start({
      definition: def,
      input: 'Write an add() helper.',
      title: 't',
      source: 'cli',
      messageId: null,
      correlationId: 'c'
    })
    await h.settled(run.id)
    const steps = h.workflows.service.store.steps(run.id)
    expect(steps.slice(0, 2).map((s) => `${s.step}:${s.attempt}:${s.status}`)).toEqual([
      'coder:1:sent_back',
      'coder:2:passed'
    ])
    expect(steps[0]?.problems[0]).toContain('The validator scored it 0.20: does not handle NaN')
    expect(steps[0]?.problems[1]).toContain('The tests (npm test) failed: exit 1, 3 passed, 1 failed')
    expect(requests[0]).toBe(`${h.workflows.service.userFolder.replace(/workflows$/, '')}project`)
    const validation = h.decisions.forRun(run.id).filter((d) => d.kind === 'validation')
    // The validator's rows carry no run id: the run's log finds them through its step tasks.
    expect(validation.map((d) => `${d.role}:${d.decision}`).slice(0, 4)).toEqual([
      'validator:rejected',
      'tests:failed',
      'validator:accepted',
      'tests:passed'
    ])
    expect(h.workflows.service.store.getRun(run.id)?.status).toBe('completed')
    await h.stop()
  })

  it('waits for a person where a step needs approval, and ends the run when they reject it', async () => {
    const listeners = new Map<string, (v: ApprovalVerdict) => void>()
    const approvals: Approvals = {
      request: (r) => `apr_${r.step}`,
      onDecided: (id, listener) => {
        listeners.set(id, listener)
        return () => listeners.delete(id)
      },
      withdraw: () => undefined
    }
    const gated = JSON.parse(builtinWorkflowFiles()['builtin:draft-board.json']!) as { steps: { approval?: unknown }[] }
    gated.steps[1]!.approval = { reason: 'A board decision commits money.' }
    const answer =
      '## Summary\nWe should open a second office in Lisbon to reach EU customers and hire engineers there.\n## Open questions\nNone\n## Recommendation\nOpen a small Lisbon office in Q3 with five hires and a one-year lease.\n## Risks\nHiring is slow; lease cost.'
    const h = workflowHarness(tempDir(), {
      builtins: { 'builtin:draft-board.json': JSON.stringify(gated) },
      approvals,
      script: () => ({ kind: 'answer', text: answer })
    })
    const def = h.workflows.service.definitions().workflows[0]!.definition
    const begin = () =>
      h.workflows.service.runner.start({
        definition: def,
        input: 'Should we open an office in Lisbon?',
        title: 't',
        source: 'form',
        messageId: null,
        correlationId: 'c'
      })
    const approved = begin()
    await h.settled(approved.id, ['waiting_approval'])
    listeners.get('apr_board')?.({ status: 'approved', by: 'owner', note: null })
    await h.settled(approved.id)
    expect(h.workflows.service.store.getRun(approved.id)?.status).toBe('completed')
    expect(h.questions[0]).toContain('Open a small Lisbon office in Q3')
    expect(h.workflows.service.store.steps(approved.id).at(-1)?.package?.fields).toMatchObject({ Outcome: 'approved' })

    const rejected = h.workflows.service.runner.start({
      definition: def,
      input: 'Should we open an office in Porto instead?',
      title: 't2',
      source: 'form',
      messageId: null,
      correlationId: 'c2'
    })
    await h.settled(rejected.id, ['waiting_approval'])
    listeners.get('apr_board')?.({ status: 'rejected', by: 'owner', note: 'not this year' })
    await h.settled(rejected.id)
    expect(h.workflows.service.store.getRun(rejected.id)).toMatchObject({
      status: 'failed',
      error: 'Step "board" was rejected by owner: not this year.'
    })
    await h.stop()
  })

  it('cancels a run and its running task', async () => {
    const h = workflowHarness(tempDir(), { script: () => ({ kind: 'hang' }) })
    const run = start(h)
    const { store, runner } = h.workflows.service
    await h.settled(run.id, ['running'])
    const cancelled = await runner.cancel(run.id)
    expect(cancelled?.status).toBe('cancelled')
    const taskId = store.steps(run.id)[0]!.taskId!
    expect(h.engine.store.get(taskId)?.status).toBe('cancelled')
    await h.stop()
  })
})

describe('a verdict the worker already gave', () => {
  const tempDir = useTempDirs()

  it('is not asked for again: the runner reuses the validation row recorded on the step task', async () => {
    let calls = 0
    // The callbacks run after h is assigned: they are called by the engine, never during construction.
    const h: ReturnType<typeof workflowHarness> = workflowHarness(tempDir(), {
      validator: {
        validate: async () => {
          calls++
          return { score: 0.9, passed: true, reasons: [], model: 'judge' }
        }
      },
      script: (task) => {
        const { step, round } = stepOf(task)
        // The worker's validator judged the coder's answer while the task ran.
        if (step === 'coder')
          h.decisions.record({
            runId: null,
            taskId: task.id,
            step: null,
            role: 'validator',
            decision: 'accepted',
            kind: 'validation',
            reasons: ['score 0.80'],
            model: 'judge',
            correlationId: null
          })
        if (step === 'coder') return { kind: 'answer', text: A.coder(round) }
        if (step === 'librarian') return { kind: 'answer', text: A.librarian() }
        return { kind: 'answer', text: A.reviewer('accept') }
      }
    })
    const run = start(h)
    await h.settled(run.id)
    // Coder: judged by the worker; librarian: judged by the runner; reviewer: validate is off for review steps.
    expect(calls).toBe(1)
    expect(
      h.decisions
        .forRun(run.id)
        .filter((d) => d.kind === 'validation')
        .map((d) => d.reasons[0])
    ).toEqual(['score 0.80'])
    await h.stop()
  })
})
