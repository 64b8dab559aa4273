import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../db/database'
import { bundledMigrations } from '../db/bundled-migrations'
import { migrate } from '../db/migrations'
import { createEventBus } from '../events/event-bus'
import { memoryLogger } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import type { CheckDefinition } from './check-definition'
import { createChecklistService, type ChecklistDeps, type Fixes } from './checklist-service'
import { createChecklistStore } from './checklist-store'
import { jsonReport, markdownReport } from './report'
import { writeFileSync } from 'node:fs'
import { refuse } from '../rpc/refusal'

const tempDir = useTempDirs()

function setup(
  checks: CheckDefinition[],
  fixes: Fixes = {},
  logLines: string[] = [],
  diskFull = false,
  fixBlocked?: ChecklistDeps['fixBlocked']
) {
  const dir = tempDir()
  const db = openDatabase(join(dir, 'kos.db'))
  migrate(db, bundledMigrations())
  const logFile = join(dir, 'kos.log')
  writeFileSync(logFile, logLines.map((l) => `${l}\n`).join(''))
  const events = createEventBus(() => undefined)
  const pushed: string[] = []
  events.subscribe((f) => pushed.push(f.name))
  const service = createChecklistService({
    checks,
    store: diskFull
      ? {
          ...createChecklistStore(db),
          save: () => {
            throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
          }
        }
      : createChecklistStore(db),
    events,
    log: memoryLogger().logger,
    now: () => new Date('2026-11-24T10:00:00.000Z'),
    logFile,
    errorTypes: async () => ({}),
    fixes,
    fixBlocked,
    intervalMinutes: () => 0,
    checkTimeoutMs: 1000
  })
  return { service, pushed, db, events }
}

const check = (id: string, status: 'pass' | 'fail', severity: 'hard' | 'soft' = 'hard'): CheckDefinition => ({
  id,
  title: `Check ${id}`,
  area: 'worker',
  severity,
  measures: 'how',
  remedy: 'do this',
  fix: null,
  run: () => ({ status, evidence: `${id} measured` })
})

describe('checklist service', () => {
  it('runs the start run again when the models or the knowledge base announce a change, until their checks pass', async () => {
    let reachable = false
    const embedding: CheckDefinition = {
      ...check('knowledge.embedding', 'pass'),
      area: 'knowledge',
      run: () =>
        reachable
          ? { status: 'pass', evidence: 'nomic-embed-text:latest (768 dims)' }
          : { status: 'warn', evidence: 'no embedding model reachable (Looking for an embedding model…)' }
    }
    const { service, pushed, events } = setup([embedding, check('worker.alive', 'pass')])
    service.start()
    await vi.waitFor(() => expect(service.latest()?.verdict).toBe('warnings'))
    // An event of another part does not matter to these checks.
    events.emit('checklist.completed', service.latest() as NonNullable<ReturnType<typeof service.latest>>)
    const knowledgeChanged = (): void =>
      events.emit('knowledge.changed', {} as Parameters<typeof events.emit<'knowledge.changed'>>[1])
    reachable = true
    knowledgeChanged()
    await vi.waitFor(() => expect(service.latest()?.verdict).toBe('healthy'))
    expect(service.latest()).toMatchObject({ trigger: 'start', results: [{ status: 'pass' }, { status: 'pass' }] })
    const runs = pushed.filter((n) => n === 'checklist.completed').length
    // Settled: later changes leave the schedule to it.
    knowledgeChanged()
    for (let i = 0; i < 5; i++) await Promise.resolve()
    expect(service.history(10)).toHaveLength(2)
    expect(pushed.filter((n) => n === 'checklist.completed')).toHaveLength(runs)
    await service.stop()
  })

  it('runs at start only once the first model scan has landed, so it reads what the Models view shows', async () => {
    let embeddingModel: string | null = null
    let runs = 0
    const embedding: CheckDefinition = {
      ...check('knowledge.embedding', 'pass'),
      run: () => {
        runs++
        return embeddingModel
          ? { status: 'pass', evidence: `${embeddingModel} reachable` }
          : { status: 'warn', evidence: 'no embedding model reachable' }
      }
    }
    const { service, pushed } = setup([embedding])
    let landed: () => void = () => undefined
    const scan = new Promise<void>((resolve) => (landed = resolve))
    service.start(scan)
    // A run started at once would have called the check within these microtasks; the scan has not landed.
    for (let i = 0; i < 5; i++) await Promise.resolve()
    expect(runs).toBe(0)
    expect(service.latest()).toBeNull()
    embeddingModel = 'nomic-embed-text:latest'
    landed()
    await vi.waitFor(() => expect(service.latest()).not.toBeNull())
    expect(service.latest()).toMatchObject({
      trigger: 'start',
      verdict: 'healthy',
      results: [{ id: 'knowledge.embedding', status: 'pass', evidence: 'nomic-embed-text:latest reachable' }]
    })
    expect(pushed).toEqual(['checklist.completed'])
    expect(runs).toBe(1)
    await service.stop()
  })

  it('stores each run, pushes it, and lists it in the history', async () => {
    const { service, pushed } = setup([check('a', 'pass'), check('b', 'fail', 'soft')])
    const run = await service.run('manual')
    expect(run).toMatchObject({
      trigger: 'manual',
      verdict: 'warnings',
      results: [
        { id: 'a', status: 'pass' },
        { id: 'b', status: 'fail' }
      ]
    })
    expect(pushed).toEqual(['checklist.completed'])
    expect(service.latest()?.id).toBe(run.id)
    await service.run('schedule')
    expect(service.history(10).map((r) => r.trigger)).toEqual(['schedule', 'manual'])
  })

  it('still runs and shows its findings on a full disk, only without keeping the run (id 0)', async () => {
    const { service, pushed } = setup([check('app.disk-free', 'fail')], {}, [], true)
    const run = await service.run('manual')
    expect(run).toMatchObject({ id: 0, verdict: 'unhealthy', results: [{ id: 'app.disk-free', status: 'fail' }] })
    expect(pushed).toEqual(['checklist.completed'])
    expect(service.latest()).toMatchObject({ id: 0, verdict: 'unhealthy' })
  })

  it('runs a requested run after the one going, shared by every request meanwhile, while background runs join the one going', async () => {
    const gates: Array<() => void> = []
    const gated: CheckDefinition = {
      ...check('a', 'pass'),
      run: () => new Promise((resolve) => gates.push(() => resolve({ status: 'pass', evidence: 'a measured' })))
    }
    const { service } = setup([gated])
    const going = service.run('start')
    const scheduled = service.run('schedule')
    const clicked = service.run('manual')
    const again = service.run('manual')
    const fixed = service.run('fix')
    await vi.waitFor(() => expect(gates).toHaveLength(1))
    gates[0]?.()
    const first = await going
    expect(await scheduled).toBe(first)
    // The requested run starts only once the one going has finished, so it checks after the click.
    await vi.waitFor(() => expect(gates).toHaveLength(2))
    gates[1]?.()
    const next = await clicked
    expect(next).toMatchObject({ trigger: 'fix' })
    expect(next.id).toBeGreaterThan(first.id)
    expect([await again, await fixed].map((r) => r.id)).toEqual([next.id, next.id])
    expect(service.history(10).map((r) => r.trigger)).toEqual(['fix', 'start'])
  })

  it('recognises known failures from the log and offers the fix that exists', async () => {
    const { service } = setup([check('a', 'pass')], { 'restart-ollama': async () => 'restarted' }, [
      '{"msg":"ollama 500","error":"llama runner process has terminated"}'
    ])
    const run = await service.run('manual')
    expect(run.playbook).toMatchObject([{ ruleId: 'ollama-runner-terminated', fix: 'restart-ollama' }])
    expect(run.availableFixes).toEqual(['restart-ollama'])
  })

  it('applies a fix and runs the checklist again', async () => {
    const action = vi.fn(async () => 'Ollama restarted (pid 4242)')
    const { service } = setup([check('a', 'pass')], { 'restart-ollama': action })
    const outcome = await service.fix('restart-ollama')
    expect(action).toHaveBeenCalledOnce()
    expect(outcome).toMatchObject({ message: 'Ollama restarted (pid 4242)', run: { trigger: 'fix' } })
    expect(await service.fix('re-embed')).toEqual(
      refuse('unavailable', 'The fix "re-embed" is not available in this build or on this host.')
    )
  })

  it('exports a report whose JSON bytes and SHA-256 are stable', async () => {
    const { service } = setup([check('a', 'pass'), check('b', 'fail')])
    const run = await service.run('manual')
    const first = jsonReport(run)
    const again = jsonReport(JSON.parse(JSON.stringify(service.latest())))
    expect(again).toEqual(first)
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/)
    const md = markdownReport(run)
    expect(md).toContain('# Knowledge OS checklist — unhealthy')
    expect(md).toContain('| Check b (`b`) | hard | ❌ fail | b measured | do this |')
  })

  it('gives the manual-review card the rule of a task’s error type, with the fix only when this host has it', () => {
    const withRestart = setup([], { 'restart-ollama': async () => 'restarted' }).service
    expect(withRestart.ruleFor('runner_terminated')).toMatchObject({
      ruleId: 'ollama-runner-terminated',
      fix: 'restart-ollama'
    })
    expect(withRestart.ruleFor('oom_or_metal')).toMatchObject({ ruleId: 'metal-out-of-memory', fix: null })
    expect(withRestart.ruleFor('stream_interrupted').cause).toMatch(/connection closed before it said it was done/)
  })

  it('offers a fix only while it can work here: otherwise the card says what to do by hand, runs list no such fix, and a click is refused in the same words', async () => {
    let blocked: string | null =
      'The app does not run Ollama here. Restart Ollama yourself, then Return to autoprocessing.'
    const action = vi.fn(async () => 'restarted')
    const { service } = setup([check('a', 'pass')], { 'restart-ollama': action }, [], false, (id) =>
      id === 'restart-ollama' ? blocked : null
    )
    expect(service.ruleFor('runner_terminated')).toMatchObject({ fix: null, byHand: blocked })
    expect((await service.run('manual')).availableFixes).toEqual([])
    expect(await service.fix('restart-ollama')).toEqual(refuse('unavailable', blocked))
    expect(action).not.toHaveBeenCalled()

    blocked = null
    expect(service.ruleFor('runner_terminated')).toMatchObject({ fix: 'restart-ollama', byHand: null })
    expect((await service.run('manual')).availableFixes).toEqual(['restart-ollama'])
    expect(await service.fix('restart-ollama')).toMatchObject({ message: 'restarted' })
  })
})
