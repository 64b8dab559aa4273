import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A span as an OTLP/HTTP JSON body carries it, with its attributes flattened. */
export interface CollectedSpan {
  readonly name: string
  readonly traceId: string
  readonly spanId: string
  /** The span it is part of; '' for a root. */
  readonly parentSpanId: string
  readonly startMs: number
  readonly endMs: number
  readonly statusCode: number
  readonly attributes: Readonly<Record<string, string | number | boolean>>
  readonly service: string
}

interface AnyValue {
  stringValue?: string
  intValue?: string | number
  doubleValue?: number
  boolValue?: boolean
}
interface KeyValue {
  key: string
  value: AnyValue
}
interface OtlpBody {
  resourceSpans: {
    resource: { attributes: KeyValue[] }
    scopeSpans: {
      spans: {
        name: string
        traceId: string
        spanId: string
        parentSpanId?: string
        startTimeUnixNano: string
        endTimeUnixNano: string
        status?: { code?: number }
        attributes: KeyValue[]
      }[]
    }[]
  }[]
}

const valueOf = (v: AnyValue): string | number | boolean =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue ?? ''))
const flat = (kvs: readonly KeyValue[]): Record<string, string | number | boolean> =>
  Object.fromEntries(kvs.map((kv) => [kv.key, valueOf(kv.value)]))

/** An OTLP/HTTP traces collector on a loopback port: decodes what it receives, as a real collector would. */
export async function startFakeCollector(): Promise<{
  url: string
  spans: CollectedSpan[]
  requests: { path: string; contentType: string }[]
  close(): Promise<void>
}> {
  const spans: CollectedSpan[] = []
  const requests: { path: string; contentType: string }[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('error', () => res.destroy())
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? '') })
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody
        for (const rs of body.resourceSpans) {
          const service = String(flat(rs.resource.attributes)['service.name'] ?? '')
          for (const ss of rs.scopeSpans)
            for (const s of ss.spans)
              spans.push({
                name: s.name,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId ?? '',
                startMs: Number(BigInt(s.startTimeUnixNano) / 1_000_000n),
                endMs: Number(BigInt(s.endTimeUnixNano) / 1_000_000n),
                statusCode: s.status?.code ?? 0,
                attributes: flat(s.attributes),
                service
              })
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      } catch {
        res.writeHead(400).end()
      }
    })
  })
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
