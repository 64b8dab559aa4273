import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migratedDb } from '../approvals/testing/approvals-db'
import { useTempDirs } from '../test-support/temp-dir'
import { createTestRunStore } from './test-run-store'
import { createTestRunner } from './test-runner'

const tempDir = useTempDirs()

/** A small real project: package.json and node:test files, written for the test. */
function project(files: Record<string, string>): string {
  const dir = tempDir()
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', private: true }))
  mkdirSync(join(dir, 'test'))
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body)
  return dir
}

const PASSING = `const { test } = require('node:test')
const assert = require('node:assert')
const add = (a, b) => a + b
test('adds', () => assert.strictEqual(add(2, 3), 5))
test('adds negatives', () => assert.strictEqual(add(-2, -3), -5))
`
const FAILING = `const { test } = require('node:test')
const assert = require('node:assert')
test('holds', () => assert.ok(true))
test('breaks', () => assert.strictEqual(1 + 1, 3))
`
const hanging = (pidFile: string): string => `const { test } = require('node:test')
require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid))
test('never ends', () => new Promise(() => setInterval(() => undefined, 1000)))
`

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('test runner on real projects', () => {
  const db = migratedDb()
  const store = createTestRunStore(db)
  // A secret in our environment must not reach the test process.
  const runner = createTestRunner({ store, env: { ...process.env, OPENAI_API_KEY: 'sk-should-not-leak' } })
  const request = (cwd: string, extra: object = {}) => ({
    command: 'node --test',
    cwd,
    timeoutMs: 30_000,
    outputCapBytes: 64 * 1024,
    ...extra
  })

  it('passes a passing project, reading its TAP totals, and stores the outcome with the task', async () => {
    const cwd = project({ 'test/add.test.js': PASSING })
    const outcome = await runner.run(request(cwd, { taskId: 'task-1' }))
    expect(outcome).toMatchObject({ status: 'passed', exitCode: 0, passed: 2, failed: 0, format: 'tap' })
    expect(store.ofTask('task-1')).toEqual([
      expect.objectContaining({ command: 'node --test', cwd, outcome: expect.objectContaining({ status: 'passed' }) })
    ])
  }, 60_000)

  it('fails a failing project with its counts, from TAP and from JUnit XML', async () => {
    const cwd = project({ 'test/math.test.js': FAILING })
    expect(await runner.run(request(cwd))).toMatchObject({
      status: 'failed',
      exitCode: 1,
      passed: 1,
      failed: 1,
      format: 'tap'
    })
    expect(await runner.run(request(cwd, { command: 'node --test --test-reporter=junit' }))).toMatchObject({
      status: 'failed',
      passed: 1,
      failed: 1,
      format: 'junit'
    })
  }, 60_000)

  it('kills a hanging project’s whole process group at its timeout', async () => {
    const pidFile = join(tempDir(), 'pid')
    const cwd = project({ 'test/hang.test.js': hanging(pidFile) })
    const outcome = await runner.run(request(cwd, { timeoutMs: 3_000, taskId: 'task-hang' }))
    expect(outcome.status).toBe('timed_out')
    expect(outcome.status === 'timed_out' && outcome.message).toMatch(
      /did not finish within 3 s; its processes were killed/
    )
    // node --test runs each file in a child of its own: that grandchild is gone too.
    const grandchild = Number(readFileSync(pidFile, 'utf8'))
    await expect.poll(() => alive(grandchild), { timeout: 5_000 }).toBe(false)
    expect(store.ofTask('task-hang')[0]?.outcome.status).toBe('timed_out')
  }, 60_000)

  it('runs in a clean environment, caps the output keeping its end, and reads a summary line and coverage', async () => {
    const cwd = project({
      'check.js': `const noisy = 'x'.repeat(200) + '\\n'
for (let i = 0; i < 500; i++) process.stdout.write(noisy)
console.log('key seen: ' + (process.env.OPENAI_API_KEY ?? 'none'))
console.log('All files |   91.5 |    80 |   100 |   88.25 |')
console.log('7 passed, 0 failed in 0.2s')
`
    })
    const outcome = await runner.run(
      request(cwd, { command: 'node check.js', outputCapBytes: 4096, minCoveragePercent: 80 })
    )
    expect(outcome).toMatchObject({
      status: 'passed',
      passed: 7,
      failed: 0,
      coveragePercent: 88.25,
      format: 'summary_line'
    })
    expect(outcome.output).toMatch(/bytes of output left out: the output cap is 4096 bytes/)
    expect(outcome.output).toContain('key seen: none')
    expect(Buffer.byteLength(outcome.output)).toBeLessThan(4096 + 200)

    const strict = await runner.run(request(cwd, { command: 'node check.js', minCoveragePercent: 90 }))
    expect(strict).toMatchObject({ status: 'failed', exitCode: 0, coveragePercent: 88.25 })
    expect(strict.output).toMatch(/coverage 88\.25% is under the required 90%/)
  }, 60_000)

  it('says plainly when a command cannot start', async () => {
    const cwd = project({})
    expect(await runner.run(request(cwd, { command: 'no-such-tool-xyz --run' }))).toMatchObject({
      status: 'could_not_start',
      message: '"no-such-tool-xyz" was not found on the PATH of the test run; install it or declare the full path.'
    })
    expect(await runner.run(request(cwd, { command: 'npm test && rm -rf /' }))).toMatchObject({
      status: 'could_not_start',
      message: expect.stringMatching(/uses "&", which needs a shell/) as string
    })
    expect(await runner.run(request(join(cwd, 'missing')))).toMatchObject({
      status: 'could_not_start',
      message: expect.stringMatching(/working folder ".*missing" does not exist/) as string
    })
  }, 60_000)
})
