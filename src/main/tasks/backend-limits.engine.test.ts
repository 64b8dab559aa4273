import { afterEach, describe, expect, it } from 'vitest'
import type { BackendLimits } from '../ports/backend-limits'
import { useTempDirs } from '../test-support/temp-dir'
import { GOOD_ANSWER, scriptedProcessor } from './testing/scripted-processor'
import { testEngine, until } from './testing/test-engine'
import type { TasksEngine } from './tasks-engine'

describe('tasks engine with per-backend limits', () => {
  const tempDir = useTempDirs()
  const engines: TasksEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  it('runs one task at a time on MLX while Ollama runs several, through the real pool', async () => {
    const activeOn = new Map<string, number>()
    const peakOn = new Map<string, number>()
    const base = scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER, delayMs: 40 }))
    const processor = {
      ...base,
      async process(...args: Parameters<typeof base.process>) {
        const backend = args[1].backend
        activeOn.set(backend, (activeOn.get(backend) ?? 0) + 1)
        peakOn.set(backend, Math.max(peakOn.get(backend) ?? 0, activeOn.get(backend) ?? 0))
        try {
          return await base.process(...args)
        } finally {
          activeOn.set(backend, (activeOn.get(backend) ?? 1) - 1)
        }
      }
    }
    const limits: BackendLimits = {
      of: (b) => (b === 'mlx-local' ? { heavy: 1, total: 1 } : { heavy: 1, total: null }),
      capacity: () => null
    }
    const { engine } = testEngine(tempDir(), processor, { 'worker.maxConcurrency': 6 }, { backendLimits: limits })
    engines.push(engine)
    engine.start()
    const ids: string[] = []
    for (let i = 0; i < 12; i++) {
      const created = await engine.create({
        title: `Task ${i}`,
        description: `Answer question number ${i} in full.`,
        preferredBackend: i % 2 === 0 ? 'mlx-local' : 'ollama-local'
      })
      if (!created.ok) throw new Error('not created')
      ids.push(created.task.id)
    }
    await until(() => ids.every((id) => engine.store.get(id)?.status === 'completed'), 'every task')
    expect(peakOn.get('mlx-local')).toBe(1)
    expect(peakOn.get('ollama-local')).toBeGreaterThan(1)
  })

  it('keeps the adaptive ceiling at what the reachable nodes take together', () => {
    const limits: BackendLimits = { of: () => ({ heavy: 1, total: 1 }), capacity: () => 2 }
    const { engine } = testEngine(
      tempDir(),
      scriptedProcessor(() => ({ kind: 'answer', text: GOOD_ANSWER })),
      { 'worker.maxConcurrency': 8 },
      { backendLimits: limits }
    )
    engines.push(engine)
    expect(engine.state().concurrency).toMatchObject({ ceiling: 2, effective: 2 })
  })
})
