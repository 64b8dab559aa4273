import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { expect, it } from 'vitest'

const REPO = resolve(__dirname, '..')

/** Runs the chaos bench's entry as `npm run bench:chaos` does, on one small scenario, so the bench cannot rot unnoticed. */
function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [join(REPO, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs'), join(REPO, 'bench', 'chaos.ts'), ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

it('the chaos bench runs a scenario end to end: every task completes, none lost, no attempt counted while the server answered 500s', async () => {
  const { code, stdout, stderr } = await runBench([
    '--quick',
    '--json',
    '--only',
    '500 on every generation',
    '--tasks',
    '200',
    '--scale',
    '0.03'
  ])
  expect(stderr).toBe('')
  expect(code).toBe(0)
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    quick: boolean
    scenarios: {
      scenario: string
      tasks: number
      completedWithoutHuman: number
      lost: number
      manualReview: number
      attemptsBurnedWhileBackendFailing: number
      recoverySec: number | null
    }[]
  }
  expect(report.quick).toBe(true)
  expect(report.scenarios).toHaveLength(1)
  expect(report.scenarios[0]).toMatchObject({
    scenario: '500 on every generation for 5 min',
    tasks: 200,
    completedWithoutHuman: 200,
    manualReview: 0,
    lost: 0,
    attemptsBurnedWhileBackendFailing: 0
  })
  // The fault landed mid-run: tasks completed after the server was healthy again.
  expect(report.scenarios[0]?.recoverySec).not.toBeNull()
}, 240_000)
