import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Refusal } from '../rpc/refusal'
import type { CallContext } from '../rpc/handler-types'
import { memoryLogger } from '../test-support/memory-logger'
import { createTestRunner } from '../validation/test-runner'
import { useTempDirs } from '../test-support/temp-dir'
import { builtinWorkflowFiles } from './builtin-workflows'
import { CODE_REVIEW_ANSWERS as A, stepOf, workflowHarness } from './testing/workflow-harness'

// A real small project: add() subtracts, and its test says so. The coder's
// fake-model answer carries the file that fixes it.
const BUGGY = 'exports.add = (a, b) => a - b\n'
const TEST_JS = `const { add } = require('./src/add.js')
if (add(2, 3) === 5 && add(-1, 1) === 0) console.log('1 passed, 0 failed')
else { console.log('0 passed, 1 failed: add(2, 3) gave ' + add(2, 3)); process.exit(1) }
`

function project(dir: string): string {
  const root = join(dir, 'project')
  mkdirSync(join(root, 'src'), { recursive: true })
  writeFileSync(join(root, 'src', 'add.js'), BUGGY)
  writeFileSync(join(root, 'test.js'), TEST_JS)
  return root
}

const coderAnswer = (files: string): string =>
  `## Summary\nFixed add() so that it adds its two numbers instead of subtracting them.\n## Artifacts\n${files}\n## Open questions\nNone\n## Sources\nNone`
const file = (path: string, body: string): string => `\`\`\`js path=${path}\n${body}\`\`\``

function harness(
  dir: string,
  root: string,
  coder: (attempt: number) => string,
  db?: ReturnType<typeof workflowHarness>['db']
) {
  const definition = JSON.parse(builtinWorkflowFiles()['builtin:code-review.json']!) as {
    steps: { tests?: unknown }[]
  }
  definition.steps[0]!.tests = { command: 'node test.js', cwd: root, timeoutSec: 60 }
  const h = workflowHarness(dir, {
    builtins: { 'builtin:code-review.json': JSON.stringify(definition) },
    testRunner: createTestRunner({ store: null }),
    approvals: 'queue',
    ...(db ? { db } : {}),
    script: (task) => {
      const { step, attempt } = stepOf(task)
      if (step === 'coder') return { kind: 'answer', text: coder(attempt) }
      if (step === 'librarian') return { kind: 'answer', text: A.librarian() }
      return { kind: 'answer', text: A.reviewer('accept') }
    }
  })
  const start = () =>
    h.workflows.service.runner.start({
      definition: h.workflows.service.definitions().workflows[0]!.definition,
      input: 'Fix add(): it subtracts.',
      title: 'fix add',
      source: 'form',
      messageId: null,
      correlationId: 'corr-code'
    })
  return { h, start, queue: h.approvalQueue! }
}

const FIXED = 'exports.add = (a, b) => a + b\n'
const fixedAnswer = (): string => coderAnswer(file('src/add.js', FIXED))

/** A run on a fresh project, left waiting for its apply to be approved. */
async function waitingForApply(dir: string, coder: (attempt: number) => string = fixedAnswer) {
  const root = project(dir)
  const parts = harness(dir, root, coder)
  const run = parts.start()
  await parts.h.settled(run.id, ['waiting_approval', 'failed'])
  return { ...parts, root, run }
}

describe("a code step's files", () => {
  const tempDir = useTempDirs()

  it('are tested in a scratch copy, and reach the folder only when the apply is approved', async () => {
    const dir = tempDir()
    const root = project(dir)
    // Attempt 1 multiplies (the tests fail on the copy), attempt 2 adds (they pass): the tests run the coder's file.
    const { h, start, queue } = harness(dir, root, (attempt) =>
      coderAnswer(
        file('src/add.js', attempt === 1 ? 'exports.add = (a, b) => a * b\n' : 'exports.add = (a, b) => a + b\n')
      )
    )
    const run = start()
    await h.settled(run.id, ['waiting_approval', 'failed'])
    const { store } = h.workflows.service
    expect(store.getRun(run.id)?.status).toBe('waiting_approval')
    const steps = store.steps(run.id)
    expect(steps.map((s) => `${s.step}:${s.attempt}:${s.status}`)).toEqual([
      'coder:1:sent_back',
      'coder:2:passed',
      'librarian:1:passed',
      'reviewer:1:passed'
    ])
    expect(steps[0]?.problems[0]).toContain('The tests (node test.js) failed: exit 1, 0 passed, 1 failed')
    expect(steps[0]?.problems[0]).toContain('add(2, 3) gave 6')
    expect(steps[1]?.files).toEqual([
      expect.objectContaining({ path: 'src/add.js', bytes: 30, baseSha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    ])
    const tests = h.decisions.forRun(run.id).filter((d) => d.role === 'tests')
    expect(tests.map((d) => d.decision)).toEqual(['failed', 'passed'])
    expect(tests[1]?.reasons[1]).toBe(`1 file (src/add.js) on a copy of ${root}`)
    // Nothing was written to the folder yet, and no scratch copy is left in it.
    expect(readFileSync(join(root, 'src', 'add.js'), 'utf8')).toBe(BUGGY)
    expect(readdirSync(root).sort()).toEqual(['src', 'test.js'])

    const pending = queue.list('pending', 10).approvals
    expect(pending).toHaveLength(1)
    expect(pending[0]).toMatchObject({
      runId: run.id,
      step: 'coder:apply',
      title: `Apply 1 file from run "fix add" (${run.id}) to ${root}`
    })
    expect(h.workflows.service.runner.applyOf(run.id)).toMatchObject({ status: 'pending', files: ['src/add.js'] })

    queue.decide([pending[0]!.id], 'approve', 'owner', null)
    await h.settled(run.id)
    expect(store.getRun(run.id)).toMatchObject({ status: 'completed', error: null })
    expect(readFileSync(join(root, 'src', 'add.js'), 'utf8')).toBe('exports.add = (a, b) => a + b\n')
    expect(spawnSync(process.execPath, ['test.js'], { cwd: root }).status).toBe(0)
    expect(readdirSync(join(root, 'src'))).toEqual(['add.js'])
    expect(h.workflows.service.runner.applyOf(run.id)).toMatchObject({ status: 'applied' })
    expect(
      h.decisions
        .forRun(run.id)
        .map((d) => `${d.role}:${d.decision}`)
        .slice(-3)
    ).toEqual(['workflow:apply_requested', 'person:approved', 'workflow:applied'])
    await h.stop()
  })

  it('stay out of the folder when the apply is rejected', async () => {
    const dir = tempDir()
    const root = project(dir)
    const { h, start, queue } = harness(dir, root, () =>
      coderAnswer(
        `${file('src/add.js', 'exports.add = (a, b) => a + b\n')}\n\n${file('src/new.js', 'exports.x = 1\n')}`
      )
    )
    const run = start()
    await h.settled(run.id, ['waiting_approval', 'failed'])
    const [pending] = queue.list('pending', 10).approvals
    expect(pending?.title).toBe(`Apply 2 files from run "fix add" (${run.id}) to ${root}`)
    queue.decide([pending!.id], 'reject', 'owner', 'not today')
    await h.settled(run.id)
    expect(h.workflows.service.store.getRun(run.id)).toMatchObject({ status: 'cancelled' })
    expect(h.workflows.service.store.getRun(run.id)?.error).toContain('Rejected by owner: not today.')
    expect(readFileSync(join(root, 'src', 'add.js'), 'utf8')).toBe(BUGGY)
    expect(existsSync(join(root, 'src', 'new.js'))).toBe(false)
    expect(h.workflows.service.runner.applyOf(run.id)).toMatchObject({ status: 'rejected' })
    await h.stop()
  })

  it('are not written over a file that changed in the folder since the tests ran', async () => {
    const { h, queue, root, run } = await waitingForApply(tempDir())
    const mine = 'exports.add = (a, b) => b + a // my own fix\n'
    writeFileSync(join(root, 'src', 'add.js'), mine)
    queue.decide('all', 'approve', 'owner', null)
    await h.settled(run.id)
    expect(h.workflows.service.store.getRun(run.id)?.status).toBe('failed')
    expect(h.workflows.service.store.getRun(run.id)?.error).toContain(
      `"src/add.js" in ${root} changed since the run's tests ran on a copy of it; nothing was written.`
    )
    expect(readFileSync(join(root, 'src', 'add.js'), 'utf8')).toBe(mine)
    await h.stop()
  })

  it('are refused, naming the path, when a path leaves the folder: "..", absolute, or through a link', async () => {
    const dir = tempDir()
    const root = project(dir)
    const outside = join(dir, 'outside')
    mkdirSync(outside)
    symlinkSync(outside, join(root, 'linked'))
    const paths = ['../evil.js', `${outside}/evil.js`, 'linked/evil.js']
    const { h, start } = harness(dir, root, (attempt) => coderAnswer(file(paths[attempt - 1]!, 'exports.evil = 1\n')))
    const run = start()
    await h.settled(run.id)
    const steps = h.workflows.service.store.steps(run.id)
    expect(steps.map((s) => `${s.step}:${s.attempt}:${s.status}`)).toEqual([
      'coder:1:sent_back',
      'coder:2:sent_back',
      'coder:3:sent_back'
    ])
    expect(steps[0]?.problems[0]).toBe(
      'The file "../evil.js" was refused: its path leaves the working folder with "..". Write only inside the working folder.'
    )
    expect(steps[1]?.problems[0]).toContain(`The file "${outside}/evil.js" was refused: it is an absolute path.`)
    expect(steps[2]?.problems[0]).toContain(
      `The file "linked/evil.js" was refused: "linked" is a symbolic link in ${root}, and a file is never written through a link.`
    )
    expect(h.workflows.service.store.getRun(run.id)?.status).toBe('failed')
    expect(readdirSync(outside)).toEqual([])
    expect(existsSync(join(dir, 'evil.js'))).toBe(false)
    expect(readFileSync(join(root, 'src', 'add.js'), 'utf8')).toBe(BUGGY)
    expect(
      h.decisions
        .forRun(run.id)
        .filter((d) => d.role === 'tests')
        .map((d) => d.decision)
    ).toEqual(['refused', 'refused', 'refused'])
    await h.stop()
  })

  it('are applied after a restart when the approval came while the app was down', async () => {
    const dir = tempDir()
    const before = await waitingForApply(dir)
    const { root, run } = before
    await before.h.stop()
    // Nobody listens now: the person approves from the CLI or another window.
    before.queue.decide('all', 'approve', 'owner', null)
    expect(readFileSync(join(root, 'src', 'add.js'), 'utf8')).toBe(BUGGY)
    const after = harness(dir, root, fixedAnswer, before.h.db)
    after.h.workflows.begin()
    await after.h.settled(run.id)
    expect(after.h.workflows.service.store.getRun(run.id)?.status).toBe('completed')
    expect(readFileSync(join(root, 'src', 'add.js'), 'utf8')).toBe(FIXED)
    await after.h.stop()
  })

  it('leave the approvals queue when their run is cancelled, and the folder as it was', async () => {
    const { h, queue, root, run } = await waitingForApply(tempDir())
    await h.workflows.service.runner.cancel(run.id)
    expect(queue.pendingCount()).toBe(0)
    expect(queue.list('decided', 10).approvals[0]).toMatchObject({ status: 'rejected', decidedBy: 'workflow' })
    expect(h.workflows.service.runner.applyOf(run.id)).toMatchObject({ status: 'cancelled' })
    expect(h.workflows.service.store.getRun(run.id)?.status).toBe('cancelled')
    expect(readFileSync(join(root, 'src', 'add.js'), 'utf8')).toBe(BUGGY)
    await h.stop()
  })

  it('take the project folder and test command a run is started with, on a built-in workflow without tests', async () => {
    const dir = tempDir()
    const root = project(dir)
    const h = workflowHarness(dir, {
      testRunner: createTestRunner({ store: null }),
      approvals: 'queue',
      script: (task) => {
        const { step } = stepOf(task)
        if (step === 'coder') return { kind: 'answer', text: fixedAnswer() }
        if (step === 'librarian') return { kind: 'answer', text: A.librarian() }
        return { kind: 'answer', text: A.reviewer('accept') }
      }
    })
    const ctx: CallContext = {
      scopes: new Set(['read', 'write']),
      transport: 'in-process',
      correlationId: 'c1',
      log: memoryLogger().logger
    }
    const run = (folder: string, workflowId = 'code-review') =>
      h.workflows.handlers['workflows.run'](
        {
          workflowId,
          input: 'Fix add(): it subtracts.',
          source: 'form',
          project: { folder, testCommand: 'node test.js' }
        },
        ctx
      )
    const relative = await run('project')
    expect(relative).toBeInstanceOf(Refusal)
    expect((relative as Refusal).error.message).toContain('The project folder "project" is not a full path')
    const missing = await run(join(dir, 'nope'))
    expect((missing as Refusal).error.message).toContain(
      `"${join(dir, 'nope')}" does not exist; pick an existing folder.`
    )
    const noCode = await run(root, 'research-summary')
    expect((noCode as Refusal).error.message).toContain('has no code step')
    const started = await run(root)
    if (started instanceof Refusal) throw new Error(started.error.message)
    await h.settled(started.id, ['waiting_approval', 'failed'])
    expect(h.workflows.service.store.getRun(started.id)?.definition.steps[0]?.tests).toEqual({
      command: 'node test.js',
      cwd: root,
      timeoutSec: 300
    })
    expect(h.workflows.service.runner.applyOf(started.id)).toMatchObject({ status: 'pending', folder: root })
    expect(readFileSync(join(root, 'src', 'add.js'), 'utf8')).toBe(BUGGY)
    await h.stop()
  })
})
