import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../test-support/memory-logger'
import type { ProcessingPlan, TaskForProcessing, TaskProcessor } from '../ports/task-processor'
import { decomposingProcessor, type TaskFamily } from './task-decomposition'

const BATCHABLE: ProcessingPlan = {
  backend: 'mlx-local',
  model: 'm',
  heavy: false,
  batch: { key: 'mlx-local/m/finance', tokens: 10, maxTasks: 5, maxTokens: 1_500 }
}

const task = (id: string, priority: TaskForProcessing['priority']): TaskForProcessing => ({
  id,
  title: `Task ${id}`,
  description: 'Small.',
  domain: 'finance',
  priority,
  assigneeExpert: null,
  preferredBackend: null,
  preferredModel: null,
  correlationId: `c-${id}`
})

describe('decomposition and batching', () => {
  it('plans a task it will split, or whose subtasks are done, as a call of its own, never one answer in a batch', () => {
    const inner: TaskProcessor = {
      plan: () => BATCHABLE,
      ensureReady: async () => undefined,
      load: () => [],
      process: async () => 'answer'
    }
    const families = new Map<string, TaskFamily>([
      ['split', { parentTaskId: null, metadata: {}, children: [] }],
      ['plain', { parentTaskId: null, metadata: {}, children: [] }]
    ])
    const processor = decomposingProcessor(inner, {
      tasks: { create: () => ({ id: 'x' }) as never },
      family: (id) => families.get(id) ?? null,
      experts: async () => [],
      enabled: () => true,
      log: memoryLogger().logger
    })
    expect(processor.plan(task('split', 'high'))).toEqual({ backend: 'mlx-local', model: 'm', heavy: false })
    expect(processor.plan(task('plain', 'normal'))).toEqual(BATCHABLE)
  })
})
