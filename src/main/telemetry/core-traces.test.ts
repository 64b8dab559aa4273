import { describe, expect, it } from 'vitest'
import type { Task } from '../../shared/contract/tasks-contract'
import { startFakeOllama } from '../models/testing/fake-ollama-server'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'
import { startFakeCollector } from './testing/fake-collector'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }

describe('traces of the running app', () => {
  it('exports a task, its run and its model request as spans carrying the correlation id of the call that queued it', async () => {
    const collector = await startFakeCollector()
    const ollama = await startFakeOllama({ loaded: ['llama3.2:3b'] })
    const core = startTestCore(tempDir(), {
      env: {
        KOS_OLLAMA_API_URL: ollama.url,
        KOS_VALIDATION_ENABLED: 'false',
        KOS_OTLP_TRACES_ENDPOINT: collector.url
      }
    })
    try {
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
      expect(collector.spans.find((s) => s.name === 'router.request')?.attributes).toMatchObject({
        'kos.node': 'ollama-local',
        'kos.model': 'llama3.2:3b',
        'kos.tokens_in': 5
      })
    } finally {
      await core.close()
      await ollama.close()
      await collector.close()
    }
  }, 30_000)
})
