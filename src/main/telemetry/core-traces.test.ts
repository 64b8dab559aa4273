import { describe, expect, it } from 'vitest'
import type { Task } from '../../shared/contract/tasks-contract'
import type { RunDetail, RunSummary } from '../../shared/contract/workflows-contract'
import { startFakeOllama } from '../models/testing/fake-ollama-server'
import type { Core } from '../app/start-core'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'
import { startFakeCollector } from './testing/fake-collector'
import { traceIdOf } from './trace-export'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }

/** A real core answering from the fake Ollama, its traces exported to a loopback collector, for the test's body. */
async function traced(
  body: (core: Core, collector: Awaited<ReturnType<typeof startFakeCollector>>) => Promise<void>
): Promise<void> {
  const collector = await startFakeCollector()
  const ollama = await startFakeOllama({ loaded: ['llama3.2:3b'] })
  const core = startTestCore(tempDir(), {
    env: { KOS_OLLAMA_API_URL: ollama.url, KOS_VALIDATION_ENABLED: 'false', KOS_OTLP_TRACES_ENDPOINT: collector.url }
  })
  try {
    await body(core, collector)
  } finally {
    await core.close()
    await ollama.close()
    await collector.close()
  }
}

describe('traces of the running app', () => {
  it('exports a task, its run and its model request as spans carrying the correlation id of the call that queued it', async () => {
    await traced(async (core, collector) => {
      const created = await core.dispatcher.call(
        'tasks.create',
        { title: 'Define EBITDA', description: 'One paragraph for the finance glossary.' },
        CLI
      )
      if (!created.ok) throw new Error(created.error.message)
      const { id, metadata } = created.value as Task
      const correlationId = metadata.correlationId
      expect(typeof correlationId).toBe('string')
      await expect
        .poll(() => collector.spans.map((s) => s.name).sort(), { timeout: 15_000 })
        .toEqual(['router.request', 'task', 'task.run'])
      for (const span of collector.spans) {
        expect(span.attributes['kos.correlation_id']).toBe(correlationId)
        expect(span.attributes['kos.task_id']).toBe(id)
        expect(span.statusCode).toBe(0)
        expect(span.endMs).toBeGreaterThanOrEqual(span.startMs)
      }
      // One trace: the task's run and its model request are parts of the task's span.
      const task = collector.spans.find((s) => s.name === 'task')
      expect(task).toMatchObject({ traceId: traceIdOf(String(correlationId)), parentSpanId: '' })
      for (const name of ['task.run', 'router.request'])
        expect(collector.spans.find((s) => s.name === name)).toMatchObject({
          traceId: task?.traceId,
          parentSpanId: task?.spanId
        })
      expect(collector.spans.find((s) => s.name === 'router.request')?.attributes).toMatchObject({
        'kos.node': 'ollama-local',
        'kos.model': 'llama3.2:3b',
        'kos.tokens_in': 5
      })
    })
  }, 30_000)

  it('puts a workflow run’s step tasks under the run’s span, in the trace of the call that started it', async () => {
    // The fake answers without the coder's hand-off sections: the coder is sent back until its rounds run out and the run fails.
    await traced(async (core, collector) => {
      const started = await core.dispatcher.call(
        'workflows.run',
        { workflowId: 'code-review', input: 'Write a slugify() helper for the blog.' },
        CLI
      )
      if (!started.ok) throw new Error(started.error.message)
      const runId = (started.value as RunSummary).id
      await expect
        .poll(() => collector.spans.filter((s) => s.name === 'workflow.run').length, { timeout: 20_000 })
        .toBe(1)
      const run = collector.spans.find((s) => s.name === 'workflow.run')
      expect(run).toMatchObject({
        parentSpanId: '',
        statusCode: 2,
        attributes: expect.objectContaining({ 'kos.workflow_run_id': runId, 'kos.status': 'failed' })
      })
      // Each span is sent as it is recorded, in batches: wait for a task span of every step that had a task.
      const detail = await core.dispatcher.call('workflows.runs.get', { id: runId }, CLI)
      if (!detail.ok) throw new Error(detail.error.message)
      const stepTasks = (detail.value as RunDetail).steps.filter((s) => s.taskId !== null).length
      expect(stepTasks).toBeGreaterThanOrEqual(1)
      await expect
        .poll(() => collector.spans.filter((s) => s.name === 'task').length, { timeout: 10_000 })
        .toBe(stepTasks)
      const steps = collector.spans.filter((s) => s.name === 'task')
      for (const step of steps) expect(step).toMatchObject({ traceId: run?.traceId, parentSpanId: run?.spanId })
      // Every span of the run, its steps' runs and model requests included, is in that one trace.
      expect(new Set(collector.spans.map((s) => s.traceId))).toEqual(new Set([run?.traceId]))
      const stepIds = new Set(steps.map((s) => s.spanId))
      for (const leaf of collector.spans.filter((s) => s.name === 'task.run' || s.name === 'router.request'))
        expect(stepIds.has(leaf.parentSpanId)).toBe(true)
    })
  }, 40_000)
})
