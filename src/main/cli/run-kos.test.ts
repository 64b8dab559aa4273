import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { runKosInProcess } from '../test-support/run-kos-in-process'
import { EXIT_USAGE } from './run-kos'

const tempDir = useTempDirs()
/** Nothing listens on port 9 (discard) here: a model server that is certainly down. */
const CLOSED_PORT = 'http://127.0.0.1:9'

function kos(argv: string[], env: NodeJS.ProcessEnv = {}, untilStopped = () => Promise.resolve(), out: string[] = []) {
  return runKosInProcess(argv, { env, untilStopped, out })
}

async function withServe(dir: string, body: () => Promise<void>): Promise<void> {
  let stop = (): void => undefined
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  const out: string[] = []
  const serving = kos(['serve', '--data-dir', dir, '--port', '0'], {}, () => stopped, out)
  await expect.poll(() => out.length).toBeGreaterThan(0)
  try {
    await body()
  } finally {
    stop()
    await serving
  }
}

describe('kos command', () => {
  it('shows every setting with its value and source', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ 'worker.maxAttempts': 4 }))
    const { code, out } = await kos(['config', 'show', '--data-dir', dir, '--log-level', 'debug'], {
      KOS_PROFILE: 'fast'
    })
    expect(code).toBe(0)
    const row = (key: string) => out.find((l) => l.startsWith(`${key} `))?.replace(/\s+/g, ' ')
    expect(row('dataDir')).toBe(`dataDir ${dir} command-line flag --data-dir`)
    expect(row('profile')).toBe('profile fast environment variable KOS_PROFILE')
    expect(row('log.level')).toBe('log.level debug command-line flag --log-level')
    expect(row('worker.maxAttempts')).toBe(`worker.maxAttempts 4 settings file ${join(dir, 'settings.json')}`)
    expect(row('worker.maxConcurrency')).toBe('worker.maxConcurrency 8 profile "fast"')
    expect(row('worker.stuckMinutes')).toBe('worker.stuckMinutes 15 built-in default')
  })

  it('prints the settings as JSON for scripts', async () => {
    const { code, out } = await kos(['config', 'show', '--json', '--data-dir', tempDir()])
    expect(code).toBe(0)
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      profile: 'balanced',
      settings: expect.arrayContaining([expect.objectContaining({ key: 'host.port', value: 7420 })])
    })
  })

  it('exits 78 on a bad setting, naming it, its value and its source', async () => {
    const { code, err } = await kos(['config', 'show', '--data-dir', tempDir()], { KOS_LOG_LEVEL: 'chatty' })
    expect(code).toBe(78)
    expect(err).toEqual([
      'log.level = "chatty" (from environment variable KOS_LOG_LEVEL) is not valid: expected one of debug, info, warn, error.'
    ])
  })

  it('exits 75 from serve when the data dir is in use, naming the running instance', async () => {
    const dir = tempDir()
    let stop = (): void => undefined
    const stopped = new Promise<void>((resolve) => (stop = resolve))
    const firstOut: string[] = []
    const first = kos(['serve', '--data-dir', dir, '--port', '0'], {}, () => stopped, firstOut)
    await expect.poll(() => firstOut.length).toBeGreaterThan(0)

    const { code, err } = await kos(['serve', '--data-dir', dir, '--port', '0'])
    stop()
    expect((await first).code).toBe(0)
    expect(code).toBe(75)
    expect(err[0]).toMatch(/is in use by the headless host \(pid \d+, started .*, at http:\/\/127\.0\.0\.1:\d+\)/)
  })

  it('prints help, and exits 64 on an unknown command', async () => {
    expect((await kos(['--help'])).out[0]).toMatch(/^kos — Knowledge OS Control Center/)
    const unknown = await kos(['frobnicate'])
    expect(unknown.code).toBe(EXIT_USAGE)
    expect(unknown.err[0]).toBe('Unknown command "frobnicate". Run `kos --help` for the commands.')
  })

  it('runs the checklist on a data dir no instance owns, printing the verdict, each check’s id, area, severity, status, evidence and remedy, and the playbook matches', async () => {
    const dir = tempDir()
    const { code, out } = await kos([
      'checklist',
      'run',
      '--json',
      '--data-dir',
      dir,
      '--set',
      `ollama.apiUrl=${CLOSED_PORT}`,
      '--set',
      `mlx.apiUrl=${CLOSED_PORT}`
    ])
    const report = JSON.parse(out[0]!) as {
      verdict: string
      results: Record<string, unknown>[]
      playbook: { ruleId: string; evidence: string[] }[]
    }
    const results = report.results
    expect(report.verdict).toBe('unhealthy')
    expect(report.playbook.find((m) => m.ruleId === 'server-unreachable')?.evidence[0]).toMatch(
      /^models\.nodes-reachable: /
    )
    expect(results.find((r) => r.id === 'models.nodes-reachable')).toMatchObject({ status: 'fail', severity: 'hard' })
    expect(code).toBe(1)
    expect(results.map((r) => r.id)).toEqual(
      expect.arrayContaining(['app.single-instance', 'database.integrity', 'database.migrations'])
    )
    for (const r of results)
      expect(Object.keys(r).sort()).toEqual(['area', 'evidence', 'id', 'remedy', 'severity', 'status'])
  })

  it('talks to the running host instead of opening the data dir a second time', async () => {
    const dir = tempDir()
    await withServe(dir, async () => {
      const status = await kos(['status', '--json', '--data-dir', dir])
      expect(status.code).toBe(0)
      expect(JSON.parse(status.out[0]!)).toMatchObject({ running: true, dataDir: dir })
      const run = await kos(['checklist', 'run', '--data-dir', dir])
      expect(run.out.join('\n')).toMatch(/PASS\s+app\s+app\.single-instance/)
      expect(run.code).toBe(/unhealthy \(run #\d+\)$/.test(run.out.at(-1) ?? '') ? 1 : 0)
    })
    const after = await kos(['status', '--json', '--data-dir', dir])
    expect(JSON.parse(after.out[0]!)).toMatchObject({ running: false, checklist: { verdict: expect.any(String) } })
  })

  it('refuses when an instance that takes no commands owns the data dir', async () => {
    const dir = tempDir()
    const { acquireInstanceLock } = await import('../db/instance-lock')
    const held = acquireInstanceLock(dir, { pid: process.pid, kind: 'electron', startedAt: '2026-11-24T10:00:00.000Z' })
    try {
      const { code, err } = await kos(['status', '--data-dir', dir])
      expect(code).toBe(75)
      expect(err[0]).toMatch(/in use by the desktop app .* takes no kos commands/)
    } finally {
      if (held.ok) held.lock.release()
    }
  })

  it('exports the newest checklist report as Markdown and canonical JSON with its SHA-256', async () => {
    const dir = tempDir()
    const out = join(tempDir(), 'reports')
    expect((await kos(['export', '--data-dir', dir, '--out', out])).code).toBe(66)
    await kos(['checklist', 'run', '--data-dir', dir])
    const exported = await kos(['export', '--json', '--data-dir', dir, '--out', out])
    expect(exported.code).toBe(0)
    const paths = JSON.parse(exported.out[0]!) as { markdown: string; json: string; sha256: string }
    const json = readFileSync(paths.json, 'utf8')
    expect(createHash('sha256').update(json).digest('hex')).toBe(paths.sha256)
    expect(readFileSync(paths.markdown, 'utf8')).toMatch(/^# Knowledge OS checklist — /)
  })
})

describe('kos kb', () => {
  it('imports a folder and a file, then finds them by full text and says the search was lexical', async () => {
    const dir = tempDir()
    const docs = tempDir()
    writeFileSync(
      join(docs, 'revenue.md'),
      '# Quarterly revenue\n\nRevenue grew by twelve percent in the third quarter, led by subscriptions.'
    )
    const single = join(tempDir(), 'ops.txt')
    writeFileSync(single, 'Runbook: restart the Ollama server when the runner terminates.')
    const folder = await kos(['kb', 'add', docs, '--data-dir', dir])
    expect(folder.code).toBe(0)
    expect(folder.out[0]).toMatch(/^Imported .*: 1 added, 0 updated, 0 unchanged, \d+ chunks\.$/)
    expect((await kos(['kb', 'add', single, '--data-dir', dir])).out[0]).toMatch(/^Added "ops\.txt" \(/)

    const found = await kos(['kb', 'search', 'quarterly', 'revenue', '--data-dir', dir])
    expect(found.code).toBe(0)
    expect(found.out[0]).toMatch(/^Full-text search only: /)
    expect(found.out.join('\n')).toMatch(/1\. Quarterly revenue|1\. revenue\.md/)
    // A relevance in words, as the app shows it, never a bare fused score.
    expect(found.out[1]).toMatch(/ — (Has your words|Strong match: your words and their meaning)$/)
    expect(found.out[2]).toMatch(/^ {3}words: #1 \(bm25 [\d.-]+\) · meaning: not found · fused score [\d.]+$/)
    expect(found.out.join('\n')).not.toMatch(/, score \d/)
    const json = await kos(['kb', 'search', 'runbook', '--json', '--data-dir', dir])
    expect(JSON.parse(json.out[0]!)).toMatchObject({ mode: 'lexical', hits: [{ node: { title: 'ops.txt' } }] })
  })

  it('says what is missing instead of failing obscurely', async () => {
    const dir = tempDir()
    expect((await kos(['kb', 'add', join(dir, 'nope'), '--data-dir', dir])).err[0]).toMatch(
      /^Nothing at .*nope\. Give an existing file or folder\.$/
    )
    expect((await kos(['kb', 'search', '--data-dir', dir])).code).toBe(64)
  })
})
