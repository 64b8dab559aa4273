import { afterEach, describe, expect, it } from 'vitest'
import type { TasksChanged } from '../../shared/contract/tasks-contract'
import { createWalSync } from '../db/wal-sync'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { migratedDb, testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'

describe('tasks.changed', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('carries, for every commit, each task it touched and the counts exactly as a re-read finds them then', async () => {
    const dir = tempDir()
    const db = migratedDb(dir)
    // A flush that reports at once: each commit is published before anything else can write, so a re-read in the listener sees that commit's state.
    const wal = createWalSync(db, (_fd, done) => done(null))
    const processor = scriptedProcessor((task, attempt) =>
      task.title.startsWith('flaky') && attempt === 1
        ? { kind: 'fail', type: 'connection_error', message: 'refused' }
        : { kind: 'answer', text: GOOD_ANSWER }
    )
    const mismatches: string[] = []
    const published: TasksChanged[] = []
    let engine: TasksEngine | null = null
    const harness = testEngine(
      dir,
      processor,
      { 'worker.maxConcurrency': 3, 'worker.maxAttempts': 3 },
      {
        db,
        wal,
        publishChanged: (changed) => {
          published.push(changed)
          if (!engine) return
          for (const summary of changed.tasks) {
            const again = engine.store.list({ search: summary.id, limit: 1 }).tasks[0]
            if (JSON.stringify(again) !== JSON.stringify(summary))
              mismatches.push(`${summary.id}: pushed ${JSON.stringify(summary)}, re-read ${JSON.stringify(again)}`)
          }
          if (JSON.stringify(engine.store.statusCounts()) !== JSON.stringify(changed.counts))
            mismatches.push(
              `counts: pushed ${JSON.stringify(changed.counts)}, re-read ${JSON.stringify(engine.store.statusCounts())}`
            )
        }
      }
    )
    engine = harness.engine
    engines.push(engine)
    engine.start()
    const titles = ['one', 'two', 'flaky three', 'four', 'flaky five', 'six']
    const ids: string[] = []
    for (const title of titles) {
      const outcome = await engine.create({ title, description: `Please work on ${title} and answer in full.` })
      if (!outcome.ok) throw new Error('not created')
      ids.push(outcome.task.id)
    }
    await until(() => ids.every((id) => engine?.store.get(id)?.status === 'completed'), 'every task completed')
    expect(mismatches).toEqual([])
    const last = new Map<string, string>()
    for (const changed of published) for (const t of changed.tasks) last.set(t.id, t.status)
    expect(ids.map((id) => last.get(id))).toEqual(ids.map(() => 'completed'))
    expect(published.at(-1)?.counts).toMatchObject({ completed: titles.length, pending: 0, in_progress: 0, failed: 0 })
  })

  it('publishes a create as one change with the new task as the list shows it', async () => {
    const published: TasksChanged[] = []
    const engine = testEngine(tempDir(), null, {}, { publishChanged: (c) => published.push(c) }).engine
    engines.push(engine)
    const outcome = await engine.create({
      title: 'Write the summary',
      description: 'Three bullet points on revenue, costs and risks.'
    })
    if (!outcome.ok) throw new Error('not created')
    expect(published).toHaveLength(1)
    expect(published[0]?.tasks).toEqual(engine.store.list({ limit: 10 }).tasks)
    expect(published[0]?.counts).toMatchObject({ pending: 1, completed: 0 })
  })
})
