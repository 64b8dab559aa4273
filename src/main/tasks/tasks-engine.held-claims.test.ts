import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until, type TestHarness } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'

/** Every status a task's row went through, from a trigger on its writes. */
function recordMoves(h: TestHarness): (id: string) => string[] {
  h.db.exec(`CREATE TEMP TABLE moves (task_id TEXT, status TEXT);
    CREATE TEMP TRIGGER record_moves AFTER UPDATE OF status ON tasks BEGIN
      INSERT INTO moves VALUES (new.id, new.status);
    END`)
  const of = h.db.prepare('SELECT status FROM moves WHERE task_id = ? ORDER BY rowid').pluck()
  return (id) => of.all(id) as string[]
}

/** Answers at once, except the tasks whose title starts with "Long", which wait until the test answers them. */
function quickThenHeldByTheTest() {
  const waiting = new Map<string, (text: string) => void>()
  const runs = new Map<string, number>()
  const processor = scriptedProcessor(() => ({ kind: 'hang' }))
  processor.process = (task) => {
    runs.set(task.id, (runs.get(task.id) ?? 0) + 1)
    if (!task.title.startsWith('Long')) return Promise.resolve(GOOD_ANSWER)
    return new Promise<string>((resolve) => waiting.set(task.id, resolve))
  }
  return { processor, waiting, runs }
}

// Claims made ahead of a free slot are written (with their mark), never held: here every claim is for a free slot.
const INFLIGHT = { claimAhead: false }

describe('claims held while runs are quick', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  async function createAll(h: TestHarness, titles: readonly string[]): Promise<string[]> {
    const ids: string[] = []
    for (const title of titles) {
      const made = await h.engine.create({ title, description: `${title}: a task for the pool` })
      if (!made.ok) throw new Error('not created')
      ids.push(made.task.id)
    }
    return ids
  }

  it('once runs are quick, a task goes from pending straight to completed: its claim is written with its answer', async () => {
    const { processor } = quickThenHeldByTheTest()
    const h = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 2, 'worker.minConcurrency': 2 }, INFLIGHT)
    engines.push(h.engine)
    const moves = recordMoves(h)
    const ids = await createAll(
      h,
      Array.from({ length: 20 }, (_, i) => `Quick ${i}`)
    )
    h.engine.start()
    await until(() => ids.every((id) => h.engine.store.get(id)?.status === 'completed'), 'every task completed')
    // The first claims are written before their runs: nothing is known yet of how long runs take.
    expect(moves(ids[0] as string)).toEqual(['in_progress', 'completed'])
    const held = ids.filter((id) => moves(id).join() === 'completed')
    expect(held.length).toBeGreaterThan(10)
    for (const id of ids) {
      expect(h.engine.store.get(id)).toMatchObject({
        status: 'completed',
        attemptCount: 1,
        backend: 'test',
        model: 'echo'
      })
      expect(h.engine.store.events(id).map((e) => [e.kind, e.attempt])).toEqual([
        ['created', 0],
        ['completed', 1]
      ])
    }
  })

  it('with more held claims than start in one turn, the ones waiting for the next turn are not claimed again', async () => {
    const { processor, runs } = quickThenHeldByTheTest()
    const h = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 48, 'worker.minConcurrency': 48 }, INFLIGHT)
    engines.push(h.engine)
    const ids = await createAll(
      h,
      Array.from({ length: 400 }, (_, i) => `Quick ${i}`)
    )
    h.engine.start()
    await until(() => ids.every((id) => h.engine.store.get(id)?.status === 'completed'), 'every task completed')
    expect(ids.filter((id) => runs.get(id) !== 1)).toEqual([])
    expect(h.records.filter((r) => r.msg === 'late result discarded: the task is no longer held by this run')).toEqual(
      []
    )
  })

  it('a held run still going at the next group commit gets its claim written there, and shows as running', async () => {
    const { processor, waiting } = quickThenHeldByTheTest()
    const h = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 1, 'worker.minConcurrency': 1 }, INFLIGHT)
    engines.push(h.engine)
    const moves = recordMoves(h)
    const ids = await createAll(h, ['Quick 1', 'Quick 2', 'Quick 3', 'Long report'])
    const long = ids[3] as string
    h.engine.start()
    await until(() => waiting.has(long), 'the long task to start')
    await until(() => h.engine.store.get(long)?.status === 'in_progress', 'its claim to be written')
    expect(h.engine.store.events(long).map((e) => [e.kind, e.message])).toEqual([
      ['created', null],
      ['claimed', 'on test/echo']
    ])
    waiting.get(long)?.(GOOD_ANSWER)
    await until(() => h.engine.store.get(long)?.status === 'completed', 'the long task to complete')
    expect(moves(long)).toEqual(['in_progress', 'completed'])
  })

  it('a held task whose answer a refused group took back is not claimed again while the answer waits to be written', async () => {
    const { processor, runs } = quickThenHeldByTheTest()
    const h = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 1, 'worker.minConcurrency': 1 }, INFLIGHT)
    engines.push(h.engine)
    const ids = await createAll(h, ['Quick 1', 'Quick 2', 'Quick 3', 'Refused'])
    const refused = ids[3] as string
    // Every write of its answer is refused, as a full disk refuses it, until the test lets it through.
    h.db.exec(`CREATE TEMP TRIGGER refuse_answer BEFORE UPDATE OF status ON tasks
      WHEN NEW.status = 'completed' AND NEW.title = 'Refused'
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
    h.engine.start()
    await until(() => h.records.some((r) => r.msg === 'task queue commit failed'), 'its answer to be refused')
    expect(h.engine.store.get(refused)).toMatchObject({ status: 'pending', attemptCount: 0 })
    // The answer is written again after a second; meanwhile the pool polls, and finds the task still pending.
    await until(() => h.records.filter((r) => r.msg === 'task queue commit failed').length >= 2, 'a second refusal')
    h.db.exec('DROP TRIGGER refuse_answer')
    await until(() => h.engine.store.get(refused)?.status === 'completed', 'the answer to be written')
    expect(runs.get(refused)).toBe(1)
    expect(h.engine.store.get(refused)).toMatchObject({ status: 'completed', attemptCount: 1 })
  })
})
