import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../test-support/memory-logger'
import { runKosInProcess } from '../test-support/run-kos-in-process'
import { useTempDirs } from '../test-support/temp-dir'
import { createSystemResume } from './system-resume'

describe('system resume path', () => {
  const tempDir = useTempDirs()

  it('runs supervisor check, node rescan and lease grace in order, each even when one before it failed', async () => {
    const ran: string[] = []
    const { logger, records } = memoryLogger()
    const resume = createSystemResume({
      log: logger,
      steps: [
        { step: 'supervisor check', run: () => void ran.push('supervisor') },
        {
          step: 'model node rescan',
          run: () => {
            ran.push('rescan')
            throw new Error('node ollama-local did not answer')
          }
        },
        { step: 'task lease grace', run: async () => void ran.push('tasks') }
      ]
    })
    const report = await resume.run('detected', 120_400)
    expect(ran).toEqual(['supervisor', 'rescan', 'tasks'])
    expect(report).toMatchObject({
      trigger: 'detected',
      sleptSec: 120,
      steps: [
        { step: 'supervisor check', ok: true, error: null },
        { step: 'model node rescan', ok: false, error: 'node ollama-local did not answer' },
        { step: 'task lease grace', ok: true, error: null }
      ]
    })
    expect(records.find((r) => r.msg === 'system resumed from sleep')).toMatchObject({
      trigger: 'detected',
      slept_sec: 120
    })
  })

  it('runs once for one wake seen by both the OS and the clock check, but always when a person asks', async () => {
    let runs = 0
    let release = (): void => undefined
    const clock = { t: 0 }
    const resume = createSystemResume({
      log: memoryLogger().logger,
      now: () => clock.t,
      steps: [{ step: 'slow', run: () => new Promise<void>((done) => ((runs += 1), (release = done))) }]
    })
    const first = resume.run('os')
    const joined = resume.run('manual')
    release()
    expect(await joined).toBe(await first)
    clock.t += 5_000
    expect(await resume.run('detected', 60_000)).toBe(await first)
    expect(runs).toBe(1)
    const byHand = resume.run('manual')
    release()
    expect((await byHand).trigger).toBe('manual')
    expect(runs).toBe(2)
  })

  it('`kos system resume` runs the path through the contract and lists its steps', async () => {
    const dir = tempDir()
    const { code, out, err } = await runKosInProcess(['system', 'resume', '--json', '--data-dir', join(dir, 'data')], {
      env: {},
      untilStopped: () => Promise.resolve(),
      out: []
    })
    expect(code).toBe(0)
    expect(err.join('\n')).toMatch(/No running app owns this data dir/)
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      trigger: 'manual',
      sleptSec: null,
      steps: [
        { step: 'supervisor check', ok: true },
        { step: 'model node rescan', ok: true },
        { step: 'task lease grace', ok: true }
      ]
    })
  })
})
