import { createHash } from 'node:crypto'
import { ROOT_CONTEXT, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, RandomIdGenerator, TracerProvider, type IdGenerator } from '@opentelemetry/sdk-trace'
import type { Logger } from '../log/logger'

/** One finished piece of work as a span: a workflow run, a task, a task run, a model request. */
export interface TraceSpan {
  readonly name: 'workflow.run' | 'task' | 'task.run' | 'router.request'
  /** The trace: every span of one correlation id is in the same one. */
  readonly correlationId: string
  /**
   * The span's own name among its trace's (`task:<id>`, `workflow:<id>`) when others hang under it: its id
   * is derived from it, so a child, which ends and is recorded first, can name a parent not sent yet.
   */
  readonly key?: string
  /** The key of the span this one is part of; absent: a root of its trace. */
  readonly parentKey?: string
  /** Epoch ms. */
  readonly startMs: number
  readonly endMs: number
  readonly attributes: Readonly<Record<string, string | number | boolean>>
  /** Why it failed; null when it did not. */
  readonly error: string | null
}

export interface TraceExport {
  /** Sends the span (batched) when an endpoint is set; does nothing otherwise. */
  record(span: TraceSpan): void
  /** Sends what is batched now; for tests and shutdown. */
  flush(): Promise<void>
  stop(): Promise<void>
}

/** A trace or span id from a name: the same name gives the same id in every process and after a restart. */
const idOf = (name: string, hexDigits: 32 | 16): string => {
  const id = createHash('sha256').update(name).digest('hex').slice(0, hexDigits)
  // All zeros is the invalid id; a hash gives it once in 2^64 draws, but then it must still be valid.
  return /^0+$/.test(id) ? `${id.slice(0, -1)}1` : id
}
export const traceIdOf = (correlationId: string): string => idOf(`trace:${correlationId}`, 32)
export const spanIdOf = (key: string): string => idOf(`span:${key}`, 16)

/**
 * Traces over OTLP/HTTP (JSON) with the official SDK: its batching, retry
 * and wire format are what collectors expect, which our own encoder would
 * have to track. Off while telemetry.otlpEndpoint is empty; a changed
 * endpoint takes effect with the next span. Export failures are logged, never
 * thrown: tracing must not disturb the work it describes.
 */
export function createTraceExport(deps: { endpoint: () => string; log: Logger; version: string }): TraceExport {
  let current: { url: string; provider: TracerProvider } | null = null
  // The SDK asks its generator for a root's trace id and every span's id as the span starts (synchronously):
  // the ids planned for the span being started are handed out, and a random one for a span nothing hangs under.
  const random = new RandomIdGenerator()
  const planned: { traceId: string; spanId: string | null } = { traceId: '', spanId: null }
  const idGenerator: IdGenerator = {
    generateTraceId: () => planned.traceId || random.generateTraceId(),
    generateSpanId: () => planned.spanId ?? random.generateSpanId()
  }

  const providerFor = (url: string): TracerProvider | null => {
    if (current?.url === url) return current.provider
    const old = current
    current = null
    if (old) void old.provider.shutdown().catch(() => undefined)
    if (url === '') return null
    const exporter = new OTLPTraceExporter({ url })
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'knowledge-os', 'service.version': deps.version }),
      idGenerator,
      spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 2_000 })]
    })
    current = { url, provider }
    deps.log.info('traces export to an OTLP endpoint', { endpoint: url })
    return provider
  }

  return {
    record(span) {
      try {
        const provider = providerFor(deps.endpoint().trim())
        if (!provider) return
        const traceId = traceIdOf(span.correlationId)
        const parent = span.parentKey
          ? trace.setSpanContext(ROOT_CONTEXT, {
              traceId,
              spanId: spanIdOf(span.parentKey),
              traceFlags: TraceFlags.SAMPLED,
              isRemote: true
            })
          : ROOT_CONTEXT
        planned.traceId = traceId
        planned.spanId = span.key ? spanIdOf(span.key) : null
        let started
        try {
          started = provider
            .getTracer('knowledge-os')
            .startSpan(
              span.name,
              { startTime: span.startMs, attributes: { 'kos.correlation_id': span.correlationId, ...span.attributes } },
              parent
            )
        } finally {
          planned.traceId = ''
          planned.spanId = null
        }
        if (span.error !== null) started.setStatus({ code: SpanStatusCode.ERROR, message: span.error })
        started.end(Math.max(span.startMs, span.endMs))
      } catch (error) {
        deps.log.warn('span not exported', { correlation_id: span.correlationId, error: (error as Error).message })
      }
    },
    flush: async () => {
      await current?.provider.forceFlush()
    },
    stop: async () => {
      const old = current
      current = null
      await old?.provider.shutdown().catch(() => undefined)
    }
  }
}
