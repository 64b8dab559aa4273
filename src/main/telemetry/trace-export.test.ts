import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../test-support/memory-logger'
import { startFakeCollector } from './testing/fake-collector'
import { createTraceExport, spanIdOf, traceIdOf, type TraceExport, type TraceSpan } from './trace-export'

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

  it('nests spans into one trace per correlation id: a child recorded before its parent names it by key', async () => {
    const collector = await startFakeCollector()
    open.push(collector)
    const traces = createTraceExport({ endpoint: () => collector.url, log: memoryLogger().logger, version: '0.1.0' })
    exports.push(traces)
    const span = (name: TraceSpan['name'], correlationId: string, keys: Pick<TraceSpan, 'key' | 'parentKey'>) =>
      traces.record({ name, correlationId, startMs: 1_000, endMs: 2_000, attributes: {}, error: null, ...keys })
    // As the app records them: each span when it ends, so the innermost first.
    span('router.request', 'chat-7', { parentKey: 'task:t1' })
    span('task.run', 'chat-7', { parentKey: 'task:t1' })
    span('task', 'chat-7', { key: 'task:t1', parentKey: 'workflow:r1' })
    span('workflow.run', 'chat-7', { key: 'workflow:r1' })
    span('task', 'chat-8', { key: 'task:t2' })
    await traces.flush()
    const [request, run, task, workflow, other] = collector.spans
    expect(workflow).toMatchObject({ traceId: traceIdOf('chat-7'), spanId: spanIdOf('workflow:r1'), parentSpanId: '' })
    expect(task).toMatchObject({
      traceId: traceIdOf('chat-7'),
      spanId: spanIdOf('task:t1'),
      parentSpanId: workflow?.spanId
    })
    expect(request).toMatchObject({ traceId: task?.traceId, parentSpanId: task?.spanId })
    expect(run).toMatchObject({ traceId: task?.traceId, parentSpanId: task?.spanId })
    // Spans nothing hangs under get their own random ids; another correlation id is another trace.
    expect(new Set(collector.spans.map((s) => s.spanId)).size).toBe(5)
    expect(other).toMatchObject({ traceId: traceIdOf('chat-8'), parentSpanId: '' })
    expect(traceIdOf('chat-8')).not.toBe(traceIdOf('chat-7'))
    expect(traceIdOf('chat-7')).toMatch(/^[0-9a-f]{32}$/)
    expect(spanIdOf('task:t1')).toMatch(/^[0-9a-f]{16}$/)
  })
})
