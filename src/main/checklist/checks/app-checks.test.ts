import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { appChecks, type AppCheckDeps } from './app-checks'

const tempDir = useTempDirs()

function setup(over: Partial<AppCheckDeps> = {}) {
  const dataDir = tempDir()
  const logDir = join(dataDir, 'logs')
  mkdirSync(logDir)
  const deps: AppCheckDeps = {
    dataDir,
    fileFolders: [logDir, join(dataDir, 'exports')],
    instanceOwner: () => ({ heldByUs: true, ownerPid: process.pid }),
    revalidateConfig: () => [],
    settingSources: () => ({ default: 10, profile: 3 }),
    filesBoundBytes: () => 1000,
    timeouts: () => ({ llmRequestSec: 300, heartbeatSec: 30, stuckMinutes: 15 }),
    ...over
  }
  const checks = Object.fromEntries(appChecks(deps).map((c) => [c.id, c]))
  return { logDir, run: (id: string) => Promise.resolve(checks[id]!.run(new AbortController().signal)) }
}

describe('app checks', () => {
  it('pass when this process owns the data dir, and fail when another does', async () => {
    expect(await setup().run('app.single-instance')).toMatchObject({ status: 'pass' })
    expect(
      await setup({ instanceOwner: () => ({ heldByUs: false, ownerPid: 4242 }) }).run('app.single-instance')
    ).toEqual({
      status: 'fail',
      evidence: `the lock is not held by this process (pid ${process.pid})`
    })
  })

  it('fail with the messages when the settings would not load at the next start', async () => {
    expect(await setup().run('app.config-valid')).toEqual({
      status: 'pass',
      evidence: 'all valid: 10 from default, 3 from profile'
    })
    const bad =
      'log.level = "loud" (from settings file /d/settings.json) is not valid: expected one of debug, info, warn, error.'
    expect(await setup({ revalidateConfig: () => [bad] }).run('app.config-valid')).toEqual({
      status: 'fail',
      evidence: bad
    })
  })

  it('warn when the logs outgrow their bound', async () => {
    const { logDir, run } = setup()
    writeFileSync(join(logDir, 'kos.log'), 'x'.repeat(600))
    expect(await run('app.logs-bounded')).toEqual({ status: 'pass', evidence: '600 B of 1000 B' })
    writeFileSync(join(logDir, 'kos.1.log'), 'x'.repeat(600))
    expect(await run('app.logs-bounded')).toEqual({ status: 'warn', evidence: '1.2 KiB of 1000 B' })
  })

  it('fail when heartbeats are too rare for the stuck threshold', async () => {
    expect(await setup().run('models.timeouts-aligned')).toMatchObject({ status: 'pass' })
    const outcome = await setup({ timeouts: () => ({ llmRequestSec: 300, heartbeatSec: 400, stuckMinutes: 15 }) }).run(
      'models.timeouts-aligned'
    )
    expect(outcome).toEqual({
      status: 'fail',
      evidence: 'router and worker share llm.requestTimeoutSec = 300 s; heartbeat every 400 s; stuck after 900 s'
    })
  })
})
