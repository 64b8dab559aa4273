import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { migratedDb, until } from './testing/test-engine'
import { createTaskStore } from './task-store'
import { taskInsert } from './testing/task-insert'

const REPO = resolve(__dirname, '..', '..', '..')
const JITI = join(REPO, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs')
const CHILD = join(__dirname, 'testing', 'crash-child.ts')

// Every child started, so a failing test does not leave one running the pool after it.
const children = new Set<ChildProcess>()

function startChild(dbFile: string, log: string, poisonTitle?: string, mode?: 'at-once'): Promise<ChildProcess> {
  const args = [dbFile, log, ...(poisonTitle ? [poisonTitle, ...(mode ? [mode] : [])] : [])]
  const child = spawn(process.execPath, [JITI, CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolvePromise, reject) => {
    child.stdout?.once('data', () => resolvePromise(child))
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${stderr}`)))
  })
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    child.once('exit', () => resolvePromise())
    child.kill('SIGKILL')
  })
}

describe('crash safety', () => {
  const tempDir = useTempDirs()
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL')
  })

  it('after kill -9 mid-flight, a restarted pool completes every task exactly once', async () => {
    const dir = tempDir()
    const dbFile = join(dir, 'kos.db')
    const log = join(dir, 'processed.log')
    const db = migratedDb(dir)
    const store = createTaskStore(db)
    const TOTAL = 300
    for (let i = 0; i < TOTAL; i++) {
      store.create(taskInsert({ title: `Task ${i}`, description: `Work item ${i}`, dedupKey: `k${i}` }))
    }
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n
    const processedLines = (): number =>
      existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0

    let kills = 0
    let inFlightAtKill = 0
    for (const killAfter of [40, 120, 200]) {
      const child = await startChild(dbFile, log)
      await until(() => processedLines() >= killAfter, `${killAfter} tasks processed`, 60_000)
      await kill9(child)
      kills++
      inFlightAtKill += count("SELECT COUNT(*) AS n FROM tasks WHERE status = 'in_progress'")
    }
    expect(inFlightAtKill).toBeGreaterThan(0)

    const child = await startChild(dbFile, log)
    await until(
      () => count("SELECT COUNT(*) AS n FROM tasks WHERE status = 'completed'") === TOTAL,
      'every task completed',
      120_000
    )
    await kill9(child)

    expect(kills).toBe(3)
    expect(count("SELECT COUNT(*) AS n FROM tasks WHERE status != 'completed'")).toBe(0)
    expect(count("SELECT COUNT(*) AS n FROM task_events WHERE kind = 'completed'")).toBe(TOTAL)
    expect(
      count(
        "SELECT COUNT(*) AS n FROM (SELECT task_id FROM task_events WHERE kind = 'completed' GROUP BY task_id HAVING COUNT(*) > 1)"
      )
    ).toBe(0)
    expect(
      count("SELECT COUNT(*) AS n FROM tasks WHERE result IS NULL OR result NOT LIKE 'The complete answer to Task %'")
    ).toBe(0)
    // At-least-once: runs cut off by a kill were done again, never recorded twice.
    expect(processedLines()).toBeGreaterThanOrEqual(TOTAL)
    // The runs a kill cut off were interrupted, not failed: each is recorded as such, and none used an attempt.
    expect(
      count("SELECT COUNT(*) AS n FROM task_events WHERE kind = 'interrupted' AND error_type = 'interrupted'")
    ).toBe(inFlightAtKill)
    expect(
      count(
        "SELECT COUNT(*) AS n FROM task_events WHERE kind = 'failed' OR kind = 'deferred' OR error_type = 'timeout'"
      )
    ).toBe(0)
    expect(count('SELECT COUNT(*) AS n FROM tasks WHERE attempt_count != 1')).toBe(0)
    // Killed while checkpoints ran on their worker, the database file is whole.
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  }, 300_000)

  /**
   * Poison first, or after `quickFirst` quick tasks; the pool started again after each crash until it is put aside.
   * At once, an urgent task is created before each start, so the poison is not the start's first claim.
   */
  async function poisonScenario(quickFirst: number, mode?: 'at-once') {
    const dir = tempDir()
    const dbFile = join(dir, 'kos.db')
    const log = join(dir, 'processed.log')
    const db = migratedDb(dir)
    const store = createTaskStore(db)
    const task = (title: string, i: number, priority: 'normal' | 'urgent' = 'normal') => ({
      title,
      description: `Work item ${i}`,
      domain: null,
      priority,
      assigneeExpert: null,
      parentTaskId: null,
      preferredBackend: null,
      preferredModel: null,
      metadata: {},
      batchGroup: null,
      dedupKey: `k${i}`
    })
    for (let i = 1; i <= quickFirst; i++) store.create(task(`Task ${i}`, i))
    const poison = store.create(task('Poison', 0))
    if (!poison.ok) throw new Error('not created')
    for (let i = quickFirst + 1; i <= 30; i++) store.create(task(`Task ${i}`, i))
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n
    const exited = (child: ChildProcess): Promise<void> =>
      new Promise((done) =>
        child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())
      )

    let crashes = 0
    let others = 30
    const start = (): Promise<ChildProcess> => {
      if (mode === 'at-once') store.create(task(`Urgent ${others}`, ++others, 'urgent'))
      return startChild(dbFile, log, 'Poison', mode)
    }
    while (store.get(poison.task.id)?.status !== 'deferred_to_human') {
      const child = await start()
      const outcome = await Promise.race([
        exited(child).then(() => 'crashed' as const),
        until(() => store.get(poison.task.id)?.status === 'deferred_to_human', 'the poison task deferred', 60_000).then(
          () => 'deferred' as const
        )
      ])
      if (outcome === 'crashed') crashes++
      else await kill9(child)
      expect(crashes).toBeLessThanOrEqual(4)
    }
    const child = await start()
    await until(
      () => count("SELECT COUNT(*) AS n FROM tasks WHERE status = 'completed'") === others,
      'the other tasks completed',
      60_000
    )
    await kill9(child)

    const held = store.get(poison.task.id)
    expect(held).toMatchObject({ status: 'deferred_to_human', errorType: 'interrupted', attemptCount: 0 })
    expect(held?.lastError).toMatch(/poison task: it was running at each of the last 3 crashes/)
    expect(
      count("SELECT COUNT(*) AS n FROM tasks WHERE title != 'Poison' AND (status != 'completed' OR attempt_count != 1)")
    ).toBe(0)
    const kinds = store.events(poison.task.id).map((e) => e.kind)
    db.close()
    return { crashes, kinds }
  }

  it('a task in flight at three consecutive crashes goes to manual review as their likely cause; the others complete on their first attempt', async () => {
    // Its own crashes came first, then the next start put it aside.
    expect(await poisonScenario(0)).toEqual({
      crashes: 3,
      kinds: ['created', 'claimed', 'interrupted', 'claimed', 'interrupted', 'claimed', 'interrupted', 'deferred']
    })
  }, 300_000)

  it('a quick task that crashes the app while its claim is held unwritten is counted from the next crash on: the start after such a crash writes every claim first', async () => {
    // The first crash left no trace of the run (its claim was held); the next start wrote its claim, and three counted
    // crashes followed. Each came before the claim's event, which a run outliving its group gets.
    expect(await poisonScenario(12, 'at-once')).toEqual({
      crashes: 4,
      kinds: ['created', 'interrupted', 'interrupted', 'interrupted', 'deferred']
    })
  }, 300_000)
})
