import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedManualReviewTask, SEEDED_TASK_TITLE } from './testing/seed-manual-review'
import { QUIT_DEADLINE_MS } from '../../src/main/shell/quit-deadline'

const root = join(__dirname, '..', '..')
const dataDir = mkdtempSync(join(tmpdir(), 'kos-shell-'))

interface Report {
  failed?: string
  webPreferences: Record<string, unknown>
  userData: string
  permission: string
  counters: { result: { ok: boolean; value?: { byStatus: Record<string, number> } } }
  foreign: { result: { ok: boolean; error?: { code: string } } }
  invalid: { result: { ok: boolean; error?: { code: string } } }
  firstTrayImage: string
  firstTooltip: string
  trayImages: string[]
  statusAfterCheck: { level: string }
  returnItem: string
  countersAfterReturn: { result: { ok: boolean; value?: { byStatus: Record<string, number> } } }
  appMenuLabels: string[]
  quit: { prevented: boolean; how: 'quit' | 'exit'; ms: number }
  errorBoxes: unknown[]
}
let report: Report

beforeAll(() => {
  if (!existsSync(join(root, 'out', 'main', 'index.js')))
    throw new Error('out/main/index.js is missing: run `npm run build` first (npm test does)')
  seedManualReviewTask(root, dataDir)
  const run = spawnSync(
    process.execPath,
    [join(__dirname, 'testing', 'shell-smoke-driver.cjs'), '--data-dir', dataDir],
    { encoding: 'utf8', timeout: 90_000 }
  )
  const line = run.stdout.trim().split('\n').at(-1) ?? ''
  if (!line.startsWith('{'))
    throw new Error(`the shell driver printed no report (exit ${run.status}): ${run.stderr.slice(-2000)}`)
  report = JSON.parse(line) as Report
  if (report.failed) throw new Error(`the shell driver failed: ${report.failed}\n${run.stderr.slice(-2000)}`)
}, 120_000)

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('the built shell under a stub Electron', () => {
  it('opens its window isolated, sandboxed and without Node', () => {
    expect(report.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false
    })
    expect(report.webPreferences.preload).toBe(join(root, 'out', 'preload', 'index.js'))
    expect(report.permission).toBe('denied')
  })

  it('keeps the Electron profile of an app started on another data dir inside that dir, apart from the usual app', () => {
    expect(report.userData).toBe(join(dataDir, 'electron-profile'))
  })

  it('answers a contract round trip over IPC from its own window, and refuses a foreign frame and bad input', () => {
    expect(report.counters.result).toMatchObject({ ok: true, value: { byStatus: { deferred_to_human: 1 } } })
    expect(report.foreign.result).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(report.invalid.result).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('starts the tray as Starting… (unknown), then shows the first real health reading', () => {
    expect(report.firstTrayImage).toMatch(/unknown\.png$/)
    expect(report.firstTooltip).toBe(
      'Knowledge OS — Starting…\n• Starting: checking model servers, the worker and the database'
    )
    expect(report.statusAfterCheck.level).toMatch(/^(ok|degraded|down)$/)
    expect(report.trayImages.at(-1)).toMatch(new RegExp(`${report.statusAfterCheck.level}\\.png$`))
  })

  it('returns the seeded manual-review task to the queue from the tray’s Return to autoprocessing', () => {
    expect(report.returnItem).toBe('Return to autoprocessing (1)')
    expect(report.countersAfterReturn.result).toMatchObject({
      ok: true,
      value: { byStatus: { deferred_to_human: 0, pending: 1 } }
    })
    expect(report.appMenuLabels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Go']))
    expect(report.errorBoxes).toEqual([])
  })

  it('stops the core within the quit deadline, then quits, releasing the data dir', () => {
    expect(report.quit.prevented).toBe(true)
    expect(report.quit.how).toBe('quit')
    expect(report.quit.ms).toBeLessThan(QUIT_DEADLINE_MS)
    // The instance lock is free: another process opens the same data dir.
    const list = execFileSync(
      process.execPath,
      [join(root, 'bin', 'kos.js'), 'tasks', 'list', '--data-dir', dataDir, '--json'],
      { encoding: 'utf8' }
    )
    expect(list).toContain(SEEDED_TASK_TITLE)
  })
})

describe('the built shell when SQLite cannot load', () => {
  it('says why on stderr and exits, instead of hanging on a modal box, and names the commands that build SQLite for Electron', () => {
    const brokenDir = mkdtempSync(join(tmpdir(), 'kos-shell-broken-'))
    try {
      // What a binding built for another runtime looks like to the loader: a file it cannot load.
      const binding = join(brokenDir, 'better_sqlite3.node')
      writeFileSync(binding, 'not a shared object')
      const run = spawnSync(
        process.execPath,
        [join(__dirname, 'testing', 'shell-smoke-driver.cjs'), '--data-dir', join(brokenDir, 'data')],
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, KOS_SMOKE_EXPECT_EXIT: '1', KOS_SQLITE_BINDING: binding }
        }
      )
      const outcome = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
        quit: { kind: string; code?: number }[]
        errorBoxes: unknown[]
        windows: number
      }
      expect(outcome.quit[0]).toMatchObject({ kind: 'exit', code: 1 })
      expect(outcome.windows).toBe(0)
      expect(outcome.errorBoxes).toEqual([])
      expect(run.stderr).toMatch(/^Knowledge OS Control Center cannot start: .+/m)
    } finally {
      rmSync(brokenDir, { recursive: true, force: true })
    }
  })
})
