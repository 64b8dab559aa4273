import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../test-support/memory-logger'
import { startFakeCollector } from './testing/fake-collector'
import { createTraceExport, type TraceExport } from './trace-export'

const open: { close(): Promise<void> }[] = []
const exports: TraceExport[] = []
afterEach(async () => {
  for (const e of exports.splice(0)) await e.stop()
  for (const o of open.splice(0)) await o.close()
})

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  it('sends each span with its correlation id, times and status to the endpoint set, and nothing while none is', async () => {
    const collector = await startFakeCollector()
    open.push(collector)
    let endpoint = ''
    const traces = createTraceExport({ endpoint: () => endpoint, log: memoryLogger().logger, version: '0.1.0' })
    exports.push(traces)
    traces.record({
      name: 'task.run',
      correlationId: 'c-off',
      startMs: 1_000,
      endMs: 2_000,
      attributes: {},
      error: null
    })
    await traces.flush()
    expect(collector.requests).toEqual([])

    endpoint = collector.url
    traces.record({
      name: 'task.run',
      correlationId: 'chat-42',
      startMs: 1_700_000_000_000,
      endMs: 1_700_000_001_500,
      attributes: { 'kos.task_id': 't-1', 'kos.backend': 'mlx-local' },
      error: null
    })
    traces.record({
      name: 'router.request',
      correlationId: 'chat-42',
      startMs: 1_700_000_000_100,
      endMs: 1_700_000_001_400,
      attributes: { 'kos.node': 'mlx-local', 'kos.tokens_out': 12 },
      error: 'the stream was cut'
    })
    await traces.flush()
    expect(collector.requests.map((r) => [r.path, r.contentType])).toEqual([['/v1/traces', 'application/json']])
    expect(collector.spans).toEqual([
      expect.objectContaining({
        name: 'task.run',
        startMs: 1_700_000_000_000,
        endMs: 1_700_000_001_500,
        statusCode: 0,
        service: 'knowledge-os',
        attributes: { 'kos.correlation_id': 'chat-42', 'kos.task_id': 't-1', 'kos.backend': 'mlx-local' }
      }),
      expect.objectContaining({
        name: 'router.request',
        statusCode: 2,
        attributes: { 'kos.correlation_id': 'chat-42', 'kos.node': 'mlx-local', 'kos.tokens_out': 12 }
      })
    ])
  })
})
