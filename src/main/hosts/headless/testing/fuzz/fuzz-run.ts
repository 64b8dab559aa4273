import fc from 'fast-check'
import { CALLS, type CallName } from '../../../../../shared/contract/contract'
import { rawFrame } from '../ws-raw-frame'
import { snapshotDatabase } from './db-snapshot'
import { httpClient, rawHttp, wsClient, type Outcome } from './fuzz-clients'
import type { FuzzTarget } from './fuzz-target'
import { OVERSIZED_BYTES, hostileInputs, malformedFrames, type Wire } from './hostile-payloads'
import { arbitraryOf } from './schema-arbitrary'

/**
 * Calls never sent generated valid inputs with the full token, because an
 * accepted one reaches beyond the data dir: importFolder reads any path it is
 * given, addNode and config.set could aim the app at an address off this
 * machine (tests may reach loopback only), pull downloads. They still get
 * every hostile input, and everything from the read-only token.
 */
const REACHES_OUTSIDE: ReadonlySet<CallName> = new Set<CallName>([
  'knowledge.importFolder',
  'models.addNode',
  'models.pull',
  'config.set'
])

export interface FuzzOptions {
  readonly seed: number
  /** Generated inputs per call, per token and transport. */
  readonly samplesPerCall: number
  /** Send the multi-megabyte hostile inputs to one call in this many. */
  readonly heavyEvery: number
  readonly progress?: (line: string) => void
}

export interface FuzzFigures {
  payloads: number
  byTransport: { http: number; ws: number }
  accepted: number
  typed: number
  typedByCode: Record<string, number>
  /** Refused by the transport itself: WebSocket close codes, the HTTP parser's 400. */
  closed: number
  closedByCode: Record<string, number>
  crashes: number
  crashSamples: string[]
  batches: number
  healthChecksPassed: number
  refusedBatchesCompared: number
  refusedBatchesChanged: number
  /** Batches with accepted calls whose data changed: shows the snapshot sees a change when there is one. */
  acceptedBatchesChanged: number
  /** Calls that answered `internal`: a handler threw, or broke its own contract. */
  internalByCall: Record<string, number>
  /** Payloads meant to be refused that a call accepted. */
  unexpectedlyAccepted: string[]
  durationMs: number
}

type Item = { readonly call: string; readonly send: () => Promise<Outcome> }

type Batch = {
  readonly label: string
  readonly refusedOnly: boolean
  readonly items: readonly Item[]
  /** One at a time where an answer cannot be matched to its payload by id. */
  readonly sequential?: boolean
}

const CONCURRENCY = 16

export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzFigures> {
  const started = Date.now()
  const figures: FuzzFigures = {
    payloads: 0,
    byTransport: { http: 0, ws: 0 },
    accepted: 0,
    typed: 0,
    typedByCode: {},
    closed: 0,
    closedByCode: {},
    crashes: 0,
    crashSamples: [],
    batches: 0,
    healthChecksPassed: 0,
    refusedBatchesCompared: 0,
    refusedBatchesChanged: 0,
    acceptedBatchesChanged: 0,
    unexpectedlyAccepted: [],
    internalByCall: {},
    durationMs: 0
  }
  const names = Object.keys(CALLS).sort() as CallName[]
  const admin = httpClient(target.origin, target.fullToken)

  const record = (label: string, call: string, outcome: Outcome, refusedOnly: boolean): void => {
    figures.payloads++
    figures.byTransport[label.includes('ws') ? 'ws' : 'http']++
    if (outcome.kind === 'accepted') {
      figures.accepted++
      if (refusedOnly && figures.unexpectedlyAccepted.length < 20)
        figures.unexpectedlyAccepted.push(`${label}: ${call}`)
    } else if (outcome.kind === 'typed') {
      figures.typed++
      figures.typedByCode[outcome.code] = (figures.typedByCode[outcome.code] ?? 0) + 1
      if (outcome.code === 'internal') figures.internalByCall[call] = (figures.internalByCall[call] ?? 0) + 1
    } else if (outcome.kind === 'closed') {
      figures.closed++
      figures.closedByCode[outcome.code] = (figures.closedByCode[outcome.code] ?? 0) + 1
    } else {
      figures.crashes++
      if (figures.crashSamples.length < 20) figures.crashSamples.push(`${label}, ${call}: ${outcome.reason}`)
    }
  }

  const runBatch = async (batch: Batch): Promise<void> => {
    const before = snapshotDatabase(target.databaseFile)
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < batch.items.length) {
        const item = batch.items[next++]!
        record(batch.label, item.call, await item.send(), batch.refusedOnly)
      }
    }
    await Promise.all(Array.from({ length: batch.sequential ? 1 : CONCURRENCY }, worker))
    figures.batches++
    // After every batch: the host is up, and answers a health call.
    const health = target.exited() === null ? await admin.post('health.get', { kind: 'text', text: '{}' }) : null
    if (health?.kind === 'accepted') figures.healthChecksPassed++
    else
      record(
        batch.label,
        'health.get (health check)',
        health ?? { kind: 'crash', reason: `host exited: ${target.exited()}` },
        false
      )
    if (target.exited() === null) {
      const changed = snapshotDatabase(target.databaseFile) !== before
      if (batch.refusedOnly) figures.refusedBatchesCompared++
      if (batch.refusedOnly && changed) figures.refusedBatchesChanged++
      if (!batch.refusedOnly && changed) figures.acceptedBatchesChanged++
    }
    options.progress?.(`${batch.label}: ${batch.items.length} payloads, ${figures.crashes} crashes so far`)
  }

  const hostile = hostileInputs()
  const malformed = malformedFrames()
  for (const [tokenName, token] of [
    ['full', target.fullToken],
    ['readOnly', target.readOnlyToken]
  ] as const) {
    const http = httpClient(target.origin, token)
    const ws = wsClient(target.origin, token)
    const transports = {
      http: {
        call: (name: string, json: string) => http.post(name, { kind: 'text', text: json }),
        raw: (wire: Wire) => http.post('tasks.create', wire)
      },
      ws: { call: ws.call, raw: ws.raw }
    }
    for (const [transportName, transport] of Object.entries(transports)) {
      const label = (kind: string): string => `${kind} over ${transportName} with the ${tokenName} token`
      const generated = names.flatMap((name, index) => {
        if (tokenName === 'full' && REACHES_OUTSIDE.has(name)) return []
        const inputs = fc.sample(arbitraryOf(CALLS[name].input), {
          numRuns: options.samplesPerCall,
          seed: options.seed + index
        })
        return inputs.map((input) => ({ name, json: JSON.stringify(input) ?? '{}' }))
      })
      const forbidden = (name: CallName): boolean => tokenName === 'readOnly' && CALLS[name].scope === 'write'
      await runBatch({
        label: label('generated inputs'),
        refusedOnly: false,
        items: generated
          .filter((g) => !forbidden(g.name))
          .map((g) => ({ call: g.name, send: () => transport.call(g.name, g.json) }))
      })
      await runBatch({
        label: label('generated inputs to write calls'),
        refusedOnly: true,
        items: generated
          .filter((g) => forbidden(g.name))
          .map((g) => ({ call: g.name, send: () => transport.call(g.name, g.json) }))
      })
      const heavy = (json: string): boolean => json.length > 100_000
      await runBatch({
        label: label('hostile inputs'),
        refusedOnly: true,
        items: names.flatMap((name) =>
          hostile.filter((json) => !heavy(json)).map((json) => ({ call: name, send: () => transport.call(name, json) }))
        )
      })
      // One at a time: a frame larger than any call the token may make is refused unread, so its answer carries no id.
      await runBatch({
        label: label('multi-megabyte hostile inputs'),
        refusedOnly: true,
        sequential: true,
        items: names.flatMap((name, index) =>
          index % options.heavyEvery === 0
            ? hostile.filter(heavy).map((json) => ({ call: name, send: () => transport.call(name, json) }))
            : []
        )
      })
      await runBatch({
        label: label('malformed frames'),
        refusedOnly: true,
        sequential: true,
        items: malformed.map((wire) => ({ call: 'malformed frame', send: () => transport.raw(wire) }))
      })
    }
    await runBatch({
      label: `protocol violations over ws with the ${tokenName} token`,
      refusedOnly: true,
      sequential: true,
      items: [
        { call: 'invalid UTF-8', send: () => ws.protocol(rawFrame(0x1, Buffer.from([0x7b, 0xc3, 0x28, 0x7d]))) },
        { call: 'reserved opcode 0x3', send: () => ws.protocol(rawFrame(0x3, Buffer.from('{}'))) },
        { call: 'reserved opcode 0xb', send: () => ws.protocol(rawFrame(0xb, Buffer.from('{}'))) },
        { call: 'frame over the limit', send: () => ws.raw({ kind: 'text', text: 'x'.repeat(OVERSIZED_BYTES) }) }
      ]
    })
    await runBatch({
      label: `protocol violations over http with the ${tokenName} token`,
      refusedOnly: true,
      sequential: true,
      items: [
        { call: 'garbage request line', send: () => rawHttp(target.origin, 'GARBAGE\r\n\r\n') },
        {
          call: 'negative Content-Length',
          send: () =>
            rawHttp(target.origin, `POST /api/call/app.info HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n`)
        },
        {
          call: 'Content-Length with chunked',
          send: () =>
            rawHttp(
              target.origin,
              `POST /api/call/app.info HTTP/1.1\r\nHost: ${new URL(target.origin).host}\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzz\r\n`
            )
        },
        {
          call: 'body over the limit',
          send: () => http.post('tasks.create', { kind: 'text', text: `{"title":"${'x'.repeat(OVERSIZED_BYTES)}"}` })
        }
      ]
    })
    http.close()
    await ws.close()
  }
  admin.close()
  figures.durationMs = Date.now() - started
  return figures
}
