import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { migratedDb, until } from '../tasks/testing/test-engine'
import { useTempDirs } from '../test-support/temp-dir'

const REPO = resolve(__dirname, '..', '..', '..')
const JITI = join(REPO, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs')
const CHILD = join(__dirname, 'testing', 'crash-child.ts')
const children = new Set<ChildProcess>()

function startChild(dbFile: string, log: string, flags: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [JITI, CHILD, dbFile, log, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  child.once('exit', () => children.delete(child))
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((done, fail) => {
    child.stdout?.once('data', () => done(child))
    child.once('exit', (code, signal) => fail(new Error(`child exited with ${code ?? signal}: ${stderr}`)))
  })
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((done) =>
    child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())
  )

describe('a workflow run survives kill -9', () => {
  const tempDir = useTempDirs()
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL')
  })

  it('picks the run up where its step stood after the app died mid-step, and runs no step twice', async () => {
    const dir = tempDir()
    const db = migratedDb(dir)
    const dbFile = join(dir, 'kos.db')
    const log = join(dir, 'calls.log')
    const lines = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])

    // The app dies (kill -9 of itself) while the librarian's task is at work.
    const first = await startChild(dbFile, log, ['start', 'poison'])
    await exited(first)
    expect(first.signalCode).toBe('SIGKILL')
    const run = db.prepare('SELECT id, status FROM workflow_runs').get() as { id: string; status: string }
    expect(run.status).toBe('running')
    expect(lines()).toEqual(['model coder', 'model librarian'])

    const second = await startChild(dbFile, log, [])
    const status = (): string =>
      (db.prepare('SELECT status FROM workflow_runs WHERE id = ?').get(run.id) as { status: string }).status
    await until(() => status() !== 'running', 'the run to end after the restart', 60_000)
    second.kill('SIGKILL')
    await exited(second)

    expect(status()).toBe('completed')
    // The coder's work was not redone; the librarian's cut-off call was, once.
    expect(lines()).toEqual([
      'model coder',
      'model librarian',
      'model librarian',
      'filed add() helper for numbers',
      'model reviewer'
    ])
    const steps = db
      .prepare('SELECT step, status, task_id FROM workflow_steps WHERE run_id = ? ORDER BY seq')
      .all(run.id)
    expect(steps).toMatchObject([
      { step: 'coder', status: 'passed' },
      { step: 'librarian', status: 'passed' },
      { step: 'reviewer', status: 'passed' }
    ])
    const decisions = db
      .prepare('SELECT step, decision FROM decision_log WHERE run_id = ? ORDER BY seq')
      .all(run.id) as { step: string; decision: string }[]
    expect(decisions.map((d) => `${d.step}:${d.decision}`)).toEqual([
      'coder:handed_off',
      'librarian:handed_off',
      'reviewer:accepted'
    ])
    const interrupted = db.prepare("SELECT COUNT(*) AS n FROM task_events WHERE kind = 'interrupted'").get() as {
      n: number
    }
    expect(interrupted.n).toBe(1)
    db.close()
  }, 120_000)
})
