import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import type { Logger } from '../log/logger'

/** One finished piece of work as a span: a task, a task run, a model request. */
export interface TraceSpan {
  readonly name: 'task' | 'task.run' | 'router.request'
  readonly correlationId: string
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

// The OpenTelemetry API's SpanStatusCode.ERROR, without depending on the API package for one number.
const STATUS_ERROR = 2

/**
 * Traces over OTLP/HTTP (JSON) with the official SDK: its batching, retry
 * and wire format are what collectors expect, which our own encoder would
 * have to track. Off while telemetry.otlpEndpoint is empty; a changed
 * endpoint takes effect with the next span. Export failures are logged, never
 * thrown: tracing must not disturb the work it describes.
 */
export function createTraceExport(deps: { endpoint: () => string; log: Logger; version: string }): TraceExport {
  let current: { url: string; provider: TracerProvider } | null = null

  const providerFor = (url: string): TracerProvider | null => {
    if (current?.url === url) return current.provider
    const old = current
    current = null
    if (old) void old.provider.shutdown().catch(() => undefined)
    if (url === '') return null
    const exporter = new OTLPTraceExporter({ url })
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'knowledge-os', 'service.version': deps.version }),
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
        const started = provider.getTracer('knowledge-os').startSpan(span.name, {
          startTime: span.startMs,
          attributes: { 'kos.correlation_id': span.correlationId, ...span.attributes }
        })
        if (span.error !== null) started.setStatus({ code: STATUS_ERROR, message: span.error })
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
