import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../test-support/memory-logger'
import type { Notification } from './notification'
import { postWebhook } from './webhook-post'
import type { TimerClock } from '../platform/timer-clock'
import { fakeTimerClock } from '../test-support/fake-timer-clock'
import { createWebhookSender, type WebhookSender, type WebhookTarget } from './webhook-sender'

interface Received {
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

/** A loopback endpoint answering each request with the next status of a script (the last one repeats). */
async function endpoint(
  statuses: readonly (number | 'hang')[],
  extraHeaders: Record<string, string> = {}
): Promise<{ url: string; received: Received[]; next(): Promise<Received>; close(): Promise<void> }> {
  const received: Received[] = []
  const waiting: ((r: Received) => void)[] = []
  const hung: ServerResponse[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      const status = statuses[Math.min(received.length, statuses.length - 1)] ?? 200
      received.push(r)
      if (status === 'hang') hung.push(res)
      else res.writeHead(status, extraHeaders).end('ok')
      waiting.shift()?.(r)
    })
  })
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let seen = 0
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    next: () => {
      const at = seen++
      return received[at] ? Promise.resolve(received[at]) : new Promise((resolve) => waiting.push(resolve))
    },
    close: () => {
      for (const res of hung) res.destroy()
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}

const note = (title: string, severity: Notification['severity'] = 'warning'): Notification => ({
  kind: 'manual_review',
  title,
  message: 'Causes: timeout ×2.\n• t1: no answer in 300 s',
  severity,
  at: '2026-12-01T08:00:00.000Z',
  details: { taskIds: ['t1', 't2'] }
})

/** Resolves once the sender is idle again: nothing in flight and the queue drained or waiting on a timer. */
async function settled(
  sender: WebhookSender,
  until: (s: ReturnType<WebhookSender['status']>) => boolean
): Promise<void> {
  while (!until(sender.status())) await new Promise((resolve) => setImmediate(resolve))
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

function senderFor(
  target: WebhookTarget | null,
  clock: TimerClock,
  limits = {}
): { sender: WebhookSender; records: ReturnType<typeof memoryLogger>['records'] } {
  const { logger, records } = memoryLogger()
  const sender = createWebhookSender({
    target: () => target,
    post: postWebhook,
    log: logger,
    clock,
    limits: { timeoutMs: 2000, ...limits }
  })
  closers.push(async () => sender.stop())
  return { sender, records }
}

describe('webhook bodies, as a loopback endpoint receives them', () => {
  it('posts the generic JSON with every field a script routes on', async () => {
    const server = await endpoint([200])
    closers.push(server.close)
    const { sender } = senderFor(
      { url: server.url, format: 'json' },
      fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    )
    sender.enqueue(note('2 tasks went to manual review'))
    const got = await server.next()
    expect(got.headers['content-type']).toBe('application/json')
    expect(JSON.parse(got.body)).toEqual({
      source: 'knowledge-os',
      kind: 'manual_review',
      severity: 'warning',
      title: '2 tasks went to manual review',
      message: 'Causes: timeout ×2.\n• t1: no answer in 300 s',
      at: '2026-12-01T08:00:00.000Z',
      details: { taskIds: ['t1', 't2'] }
    })
    await settled(sender, (s) => s.delivered === 1)
  })

  it('posts ntfy text with Title, Priority and Tags headers, a non-ASCII title as an RFC 2047 word', async () => {
    const server = await endpoint([200])
    closers.push(server.close)
    const { sender } = senderFor(
      { url: server.url, format: 'ntfy' },
      fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    )
    sender.enqueue(note('Circuit open: ollama-local', 'critical'))
    sender.enqueue(note('Здоровье: ok → down', 'info'))
    const first = await server.next()
    expect(first.body).toBe('Causes: timeout ×2.\n• t1: no answer in 300 s')
    expect(first.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(first.headers.title).toBe('Circuit open: ollama-local')
    expect(first.headers.priority).toBe('5')
    expect(first.headers.tags).toBe('rotating_light,kos,manual_review')
    const second = await server.next()
    expect(second.headers.priority).toBe('3')
    const word = /^=\?UTF-8\?B\?(.+)\?=$/.exec(String(second.headers.title))
    expect(Buffer.from(word?.[1] ?? '', 'base64').toString('utf8')).toBe('Здоровье: ok → down')
  })

  it('posts a Slack incoming-webhook {"text"} with the title in bold and <, >, & escaped', async () => {
    const server = await endpoint([200])
    closers.push(server.close)
    const { sender } = senderFor(
      { url: server.url, format: 'slack' },
      fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    )
    sender.enqueue({ ...note('Health: ok → degraded'), message: 'disk <256 MiB & falling' })
    const got = await server.next()
    expect(JSON.parse(got.body)).toEqual({ text: ':warning: *Health: ok → degraded*\ndisk &lt;256 MiB &amp; falling' })
  })
})

describe('delivery: retries with backoff, never blocking the core', () => {
  it('retries 503s and refused connections after 2 s, 4 s, … and delivers in order once the endpoint answers', async () => {
    const server = await endpoint([503, 500, 200])
    closers.push(server.close)
    const clock = fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    const { sender } = senderFor({ url: server.url, format: 'json' }, clock)
    sender.enqueue(note('first'))
    sender.enqueue(note('second'))
    await server.next()
    await settled(sender, () => clock.pending() === 1)
    expect(sender.status()).toMatchObject({ queued: 2, delivered: 0, lastError: 'the endpoint answered HTTP 503' })
    clock.fireNext()
    await server.next()
    await settled(sender, () => clock.pending() === 1)
    clock.fireNext()
    await settled(sender, (s) => s.delivered === 2)
    expect(clock.delays).toEqual([2000, 4000])
    expect(server.received.map((r) => (JSON.parse(r.body) as { title: string }).title)).toEqual([
      'first',
      'first',
      'first',
      'second'
    ])
    expect(sender.status()).toMatchObject({ queued: 0, failed: 0, lastError: null })
  })

  it('waits as long as a 429 Retry-After asks when that is longer than its backoff', async () => {
    const server = await endpoint([429, 200], { 'retry-after': '30' })
    closers.push(server.close)
    const clock = fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    const { sender } = senderFor({ url: server.url, format: 'json' }, clock)
    sender.enqueue(note('limited'))
    await settled(sender, () => clock.pending() === 1)
    expect(clock.delays).toEqual([30_000])
    clock.fireNext()
    await settled(sender, (s) => s.delivered === 1)
  })

  it('gives a notification up after its last attempt, with the backoff capped, and goes on to the next', async () => {
    const server = await endpoint([500, 500, 500, 200])
    closers.push(server.close)
    const clock = fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    const { sender, records } = senderFor({ url: server.url, format: 'json' }, clock, {
      maxAttempts: 3,
      baseDelayMs: 1000,
      maxDelayMs: 1500
    })
    sender.enqueue(note('doomed'))
    sender.enqueue(note('next'))
    for (let i = 0; i < 2; i++) {
      await settled(sender, () => clock.pending() === 1)
      clock.fireNext()
    }
    await settled(sender, (s) => s.delivered === 1)
    expect(clock.delays).toEqual([1000, 1500])
    expect(sender.status()).toMatchObject({ failed: 1, delivered: 1, queued: 0 })
    expect(records.find((r) => r.msg === 'webhook notification given up')).toMatchObject({
      attempts: 3,
      error: 'the endpoint answered HTTP 500 (3 attempts)'
    })
  })

  it('does not retry a 404: the URL is wrong, and the error says what to check', async () => {
    const server = await endpoint([404, 200])
    closers.push(server.close)
    const clock = fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    const { sender } = senderFor({ url: server.url, format: 'slack' }, clock)
    sender.enqueue(note('lost'))
    await settled(sender, (s) => s.failed === 1)
    expect(clock.delays).toEqual([])
    expect(sender.status().lastError).toMatch(/HTTP 404; not retried: check the URL and the format/)
  })

  it('retries a connection that is refused', async () => {
    const server = await endpoint([200])
    const url = server.url
    await server.close()
    const clock = fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    const { sender } = senderFor({ url, format: 'json' }, clock)
    sender.enqueue(note('nobody home'))
    await settled(sender, () => clock.pending() === 1)
    expect(sender.status().lastError).toMatch(/^the endpoint could not be reached: .*ECONNREFUSED/)
  })

  it('returns from enqueue at once while the endpoint hangs, keeps at most its capacity and counts what it dropped, oldest first', async () => {
    const server = await endpoint(['hang'])
    closers.push(server.close)
    const clock = fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    const { sender } = senderFor({ url: server.url, format: 'json' }, clock, { capacity: 3 })
    for (let i = 1; i <= 8; i++) sender.enqueue(note(`n${i}`))
    // All eight were accepted synchronously while the first request is still unanswered.
    expect(sender.status()).toMatchObject({ queued: 3, dropped: 5, delivered: 0 })
    const first = await server.next()
    expect((JSON.parse(first.body) as { title: string }).title).toBe('n1')
  })

  it('queues nothing while no URL is set, and the test call says how to set one', async () => {
    const { sender } = senderFor(null, fakeTimerClock(Date.parse('2026-12-01T08:00:00Z')))
    sender.enqueue(note('nowhere'))
    expect(sender.status()).toMatchObject({ configured: false, queued: 0 })
    expect(await sender.sendNow(note('test'))).toEqual({
      delivered: false,
      status: null,
      attempts: 0,
      error: expect.stringMatching(/notify\.webhookUrl/) as unknown
    })
  })

  it('sends a test once, outside the queue, and reports the status the endpoint answered', async () => {
    const server = await endpoint([502, 204])
    closers.push(server.close)
    const { sender } = senderFor(
      { url: server.url, format: 'json' },
      fakeTimerClock(Date.parse('2026-12-01T08:00:00Z'))
    )
    expect(await sender.sendNow(note('test'))).toEqual({
      delivered: false,
      status: 502,
      attempts: 1,
      error: 'the endpoint answered HTTP 502'
    })
    expect(await sender.sendNow(note('test'))).toEqual({ delivered: true, status: 204, attempts: 1, error: null })
  })
})
