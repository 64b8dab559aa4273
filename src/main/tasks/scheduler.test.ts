import { describe, expect, it } from 'vitest'
import type { ProcessingPlan } from '../ports/task-processor'
import { pickTasks, schedulerMemory, type SchedulableTask } from './scheduler'

const c = (id: string, backend: string, model: string, rank = 1, heavy = false): SchedulableTask<string> => ({
  item: id,
  rank,
  plan: { backend, model, heavy }
})

describe('scheduler', () => {
  it('serves priorities first, whatever the backend', () => {
    const picks = pickTasks(
      [c('a', 'ollama', 'm1'), c('b', 'mlx', 'm2', 3)],
      [],
      1,
      { heavyPerBackend: 1 },
      schedulerMemory()
    )
    expect(picks.map((p) => p.item)).toEqual(['b'])
  })

  it('spreads work round-robin so every backend runs at once', () => {
    const candidates = [
      c('a1', 'ollama', 'm'),
      c('a2', 'ollama', 'm'),
      c('a3', 'ollama', 'm'),
      c('b1', 'mlx', 'x'),
      c('b2', 'mlx', 'x')
    ]
    expect(pickTasks(candidates, [], 4, { heavyPerBackend: 1 }, schedulerMemory()).map((p) => p.item)).toEqual([
      'b1',
      'a1',
      'b2',
      'a2'
    ])
  })

  it('keeps a backend on the model it runs instead of switching per task', () => {
    const running: ProcessingPlan[] = [{ backend: 'ollama', model: 'llama', heavy: false }]
    const candidates = [
      c('q1', 'ollama', 'qwen'),
      c('l1', 'ollama', 'llama'),
      c('q2', 'ollama', 'qwen'),
      c('l2', 'ollama', 'llama')
    ]
    expect(pickTasks(candidates, running, 2, { heavyPerBackend: 1 }, schedulerMemory()).map((p) => p.item)).toEqual([
      'l1',
      'l2'
    ])
  })

  it('loads the model with the most waiting work when a backend must switch', () => {
    const candidates = [c('q1', 'ollama', 'qwen'), c('l1', 'ollama', 'llama'), c('l2', 'ollama', 'llama')]
    expect(pickTasks(candidates, [], 1, { heavyPerBackend: 1 }, schedulerMemory()).map((p) => p.item)).toEqual(['l1'])
  })

  it('caps heavy-model tasks per backend', () => {
    const running: ProcessingPlan[] = [{ backend: 'ollama', model: 'big', heavy: true }]
    const candidates = [c('h1', 'ollama', 'big', 1, true), c('s1', 'ollama', 'small')]
    expect(pickTasks(candidates, running, 2, { heavyPerBackend: 1 }, schedulerMemory()).map((p) => p.item)).toEqual([
      's1'
    ])
    expect(pickTasks(candidates, running, 2, { heavyPerBackend: 2 }, schedulerMemory()).map((p) => p.item)).toEqual([
      'h1',
      's1'
    ])
  })
})
