import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EventPayload } from '../../shared/contract/contract'
import type { Digest } from '../../shared/contract/digest-contract'
import { bundledMigrations } from '../db/bundled-migrations'
import { openDatabase, type Db } from '../db/database'
import { migrate } from '../db/migrations'
import { createEventBus } from '../events/event-bus'
import type { CallContext } from '../rpc/handler-types'
import { Refusal } from '../rpc/refusal'
import { fakeTimerClock } from '../test-support/fake-timer-clock'
import { memoryLogger } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import { createDigestCapability, type DigestMessage } from './digest-capability'
import { digestText } from './digest-text'

const tempDir = useTempDirs()
/** Local wall-clock times of the seeded day (1 Dec 2026), whatever the machine's time zone. */
const at = (day: number, hour: number, minute = 0): number => new Date(2026, 11, day, hour, minute).getTime()

function seedTask(
  db: Db,
  id: string,
  status: 'completed' | 'deferred_to_human',
  when: number,
  errorType: string | null = null,
  lastError: string | null = null
): void {
  db.prepare(
    `INSERT INTO tasks (id, title, description, priority, priority_rank, status, attempt_count, last_error, error_type, dedup_key, created_at, updated_at, completed_at)
     VALUES (?, ?, 'seeded for the digest', 'normal', 1, ?, 3, ?, ?, ?, ?, ?, ?)`
  ).run(id, `Task ${id}`, status, lastError, errorType, id, when - 60_000, when, status === 'completed' ? when : null)
}

function seedUsage(db: Db, when: number, tokensIn: number, tokensOut: number, fellBack: boolean, cost = 0): void {
  db.prepare(
    `INSERT INTO model_usage (correlation_id, source, purpose, node, model, tokens_in, tokens_out, counted, duration_ms, cost, fell_back, expert_answer, created_at)
     VALUES ('c', 'chat', 'answer', 'ollama-local', 'llama3.2:3b', ?, ?, 'backend', 900, ?, ?, 1, ?)`
  ).run(tokensIn, tokensOut, cost, fellBack ? 1 : 0, new Date(when).toISOString())
}

const process = (state: 'running' | 'restarting'): EventPayload<'supervisor.changed'>[number] => ({
  id: 'ollama',
  label: 'Ollama',
  command: 'ollama serve',
  mode: 'manage',
  state,
  installed: true,
  pid: 42,
  restartsLastHour: 1,
  reason: null,
  warning: null,
  lastFailure:
    state === 'restarting'
      ? {
          kind: 'runner_terminated',
          line: 'llama runner process has terminated: signal: killed',
          at: new Date(at(1, 10)).toISOString()
        }
      : null,
  lastExit: null,
  logTail: [],
  logFile: '/tmp/ollama.log'
})

const CTX = {} as CallContext

/** The digest a handler answered, failing the test on a refusal. */
async function got(answer: Digest | Refusal | Promise<Digest | Refusal>): Promise<Digest> {
  const value = await answer
  if (value instanceof Refusal) throw new Error(value.error.message)
  return value
}

/** One seeded day: tasks done before and after 08:00, two sent to review, a restart, an opened circuit, chat answers with a fallback. */
function seededDay() {
  const db = openDatabase(join(tempDir(), 'kos.db'))
  migrate(db, bundledMigrations())
  const events = createEventBus(() => undefined)
  const clock = fakeTimerClock(at(1, 6))
  const sent: DigestMessage[] = []
  const ready: Digest[] = []
  events.subscribe((f) => f.name === 'digest.ready' && ready.push(f.payload as Digest))
  let hour = 8
  const digest = createDigestCapability({
    db,
    digestHour: () => hour,
    events,
    log: memoryLogger().logger,
    send: (m) => sent.push(m),
    clock
  })

  seedTask(db, 'early', 'completed', at(1, 7, 30))
  seedTask(db, 'a', 'completed', at(1, 9))
  seedTask(db, 'b', 'completed', at(1, 13))
  seedTask(db, 'slow', 'deferred_to_human', at(1, 11), 'timeout', 'no answer within 300 s')
  seedTask(db, 'parrot', 'deferred_to_human', at(1, 15), 'echo', 'the answer repeated the prompt')
  seedUsage(db, at(1, 9, 5), 1200, 300, false)
  seedUsage(db, at(1, 9, 10), 800, 200, true, 0.05)
  seedUsage(db, at(1, 14), 1000, 500, false)
  clock.set(at(1, 10))
  events.emit('supervisor.changed', [process('running')])
  events.emit('supervisor.changed', [process('restarting')])
  events.emit('supervisor.changed', [process('restarting')])
  events.emit('supervisor.changed', [process('running')])
  clock.set(at(1, 12))
  const circuit = {
    node: 'ollama-local',
    model: 'llama3.2:3b',
    state: 'open' as const,
    reason: '500 on 8 of the last 8 generations',
    errorType: 'server_error' as const,
    openedAt: new Date(at(1, 12)).toISOString(),
    nextProbeAt: null,
    lastProbeFailure: null
  }
  events.emit('models.circuitChanged', {
    node: 'ollama-local',
    model: 'llama3.2:3b',
    from: 'closed',
    to: 'open',
    circuit
  })
  events.emit('models.circuitChanged', {
    node: 'ollama-local',
    model: 'llama3.2:3b',
    from: 'open',
    to: 'half_open',
    circuit
  })
  return { db, clock, digest, sent, ready, setHour: (h: number) => void (hour = h) }
}

describe('the digest over a seeded day', () => {
  it('since 08:00: tasks done, in review with causes, restarts and circuits with causes, fallback share, tokens and cost', async () => {
    const { clock, digest } = seededDay()
    clock.set(at(1, 18))
    const d = await got(digest.handlers['digest.get']({ since: 'morning' }, CTX))
    expect(d).toEqual({
      from: new Date(at(1, 8)).toISOString(),
      to: new Date(at(1, 18)).toISOString(),
      basis: 'morning',
      tasks: {
        completed: 2,
        inReview: 2,
        reviewCauses: { timeout: 1, echo: 1 },
        reviewSamples: [
          { id: 'parrot', title: 'Task parrot', errorType: 'echo', lastError: 'the answer repeated the prompt' },
          { id: 'slow', title: 'Task slow', errorType: 'timeout', lastError: 'no answer within 300 s' }
        ]
      },
      restarts: {
        count: 1,
        latest: [
          {
            at: new Date(at(1, 10)).toISOString(),
            subject: 'Ollama',
            cause: 'runner_terminated: llama runner process has terminated: signal: killed'
          }
        ]
      },
      circuits: {
        count: 1,
        latest: [
          {
            at: new Date(at(1, 12)).toISOString(),
            subject: 'ollama-local (llama3.2:3b)',
            cause: '500 on 8 of the last 8 generations'
          }
        ]
      },
      chat: { answers: 3, fallbacks: 1, fallbackShare: 1 / 3 },
      usage: { requests: 3, tokensIn: 3000, tokensOut: 1000, cost: 0.05 }
    })
    expect(digestText(d).lines).toEqual([
      'Tasks done: 2; in manual review: 2 (Echoed the prompt ×1, Timeout ×1)',
      '  • Task parrot (Echoed the prompt: the answer repeated the prompt)',
      '  • Task slow (Timeout: no answer within 300 s)',
      'Model-server restarts: 1',
      `  • ${new Date(at(1, 10)).toISOString()} Ollama: runner_terminated: llama runner process has terminated: signal: killed`,
      'Circuits opened: 1',
      `  • ${new Date(at(1, 12)).toISOString()} ollama-local (llama3.2:3b): 500 on 8 of the last 8 generations`,
      'Chat answers: 3, 33% fell back to another model',
      'Tokens: 3000 in, 1000 out over 3 model calls; cost 0.05'
    ])
  })

  it('since the last visit: from the moment digest.seen recorded, and since 08:00 before any visit', async () => {
    const { db, clock, digest } = seededDay()
    clock.set(at(1, 14, 30))
    expect((await got(digest.handlers['digest.get']({ since: 'last_visit' }, CTX))).basis).toBe('morning')
    expect(await digest.handlers['digest.seen']({}, CTX)).toEqual({ seenAt: new Date(at(1, 14, 30)).toISOString() })
    clock.set(at(1, 20))
    const d = await got(digest.handlers['digest.get']({ since: 'last_visit' }, CTX))
    expect(d).toMatchObject({
      basis: 'last_visit',
      from: new Date(at(1, 14, 30)).toISOString(),
      tasks: { completed: 0, inReview: 1, reviewCauses: { echo: 1 } },
      restarts: { count: 0 },
      chat: { answers: 0, fallbackShare: null }
    })
    seedTask(db, 'late', 'completed', at(1, 19))
    expect((await got(digest.handlers['digest.get']({ since: 'last_visit' }, CTX))).tasks.completed).toBe(1)
  })

  it('refuses a range that ends before it starts, saying which instants', async () => {
    const { clock, digest } = seededDay()
    clock.set(at(1, 18))
    const refused = digest.handlers['digest.get']({ since: new Date(at(1, 19)).toISOString() }, CTX)
    expect(refused).toBeInstanceOf(Refusal)
    expect((refused as Refusal).error).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/must be before its end .*give an earlier "since"/) as unknown
    })
  })

  it('sends the day at the digest hour, once, and catches up with one missed while asleep', () => {
    const { clock, digest, sent, ready, setHour } = seededDay()
    clock.set(at(1, 18))
    digest.start()
    expect(sent).toEqual([])
    clock.advanceTo(at(2, 7, 59))
    expect(sent).toEqual([])
    clock.advanceTo(at(2, 8, 30))
    expect(sent).toHaveLength(1)
    expect(sent[0]?.digest).toMatchObject({
      from: new Date(at(1, 18)).toISOString(),
      to: new Date(at(2, 8)).toISOString()
    })
    expect(sent[0]?.title).toBe(`Knowledge OS digest since ${new Date(at(1, 18)).toISOString()}`)
    expect(ready).toHaveLength(1)
    clock.advanceTo(at(2, 23))
    expect(sent).toHaveLength(1)
    // Hourly re-arming: never a wait longer than an hour, so a clock change or a sleep is caught up with.
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(3_600_000)
    setHour(-1)
    clock.advanceTo(at(3, 9))
    expect(sent).toHaveLength(1)
    // Turned back on after its hour: the missed day goes out at the next hourly check.
    setHour(8)
    clock.advanceTo(at(3, 9, 30))
    expect(sent).toHaveLength(1)
    clock.advanceTo(at(3, 10, 0))
    expect(sent).toHaveLength(2)
    expect(sent[1]?.digest.from).toBe(new Date(at(2, 8)).toISOString())
    digest.stop?.()
  })
})
