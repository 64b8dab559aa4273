import { afterEach, describe, expect, it } from 'vitest'
import { createDiskSpaceMonitor } from '../health/disk-space-monitor'
import { memoryLogger } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from '../tasks/testing/scripted-processor'
import { testEngine, until } from '../tasks/testing/test-engine'
import type { TasksEngine } from '../tasks/tasks-engine'

const MB = 1024 * 1024
const tempDir = useTempDirs()
const engines: TasksEngine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop()
})

describe('the worker on a nearly full disk', () => {
  it('starts no task while free space is under disk.pauseBelowMb, says why, and resumes by itself when space returns', async () => {
    const disk = { free: 50 * MB }
    const monitor = createDiskSpaceMonitor({
      dir: '/data',
      freeBytes: async () => disk.free,
      thresholds: () => ({ pauseBelowBytes: 100 * MB, warnBelowBytes: 500 * MB }),
      log: memoryLogger().logger
    })
    await monitor.sample()
    const processor = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER }))
    let asked = 0
    const { engine } = testEngine(
      tempDir(),
      processor,
      {},
      {
        holdClaims: () => {
          asked++
          return monitor.pausedReason()
        }
      }
    )
    engines.push(engine)
    engine.start()

    const created = await engine.create({
      title: 'Summarise the quarter',
      description: 'Please work on: the quarter. Give a full answer with reasons.'
    })
    if (!created.ok) throw new Error(created.reason)
    const id = created.task.id
    // The pool asks at every group commit it would claim in; after many such chances the task still waits.
    const before = asked
    await until(() => asked >= before + 10, 'ten chances to claim')
    expect(engine.store.get(id)?.status).toBe('pending')
    expect(processor.calls).toHaveLength(0)
    expect(engine.state().waiting).toBe(
      'The disk holding /data is nearly full (50 MB free, under disk.pauseBelowMb = 100 MB): no new task starts until some space is freed.'
    )

    disk.free = 2000 * MB
    await monitor.sample()
    await until(() => engine.store.get(id)?.status === 'completed', 'the task to run once space returned')
    expect(engine.state().waiting).toBeNull()
  })
})
