import type { Digest } from '../../shared/contract/digest-contract'
import type { Db } from '../db/database'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { Capability } from '../rpc/handler-types'
import { refuse } from '../rpc/refusal'
import type { TimerClock } from '../platform/timer-clock'
import { digestOf, type DigestRange } from './digest-query'
import { lastHourMark, nextHourMark } from './digest-range'
import { digestText } from './digest-text'
import { createSystemEventLog } from './system-event-log'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** The hour "since this morning" means when the scheduled digest is off. */
const DEFAULT_HOUR = 8
const LAST_VISIT = 'digest.lastVisitAt'
const LAST_SENT = 'digest.lastSentAt'

export interface DigestMessage {
  readonly digest: Digest
  readonly title: string
  readonly message: string
}

export interface DigestCapability extends Capability<'digest'> {
  /** Starts the daily schedule (long-running hosts only). */
  start(): void
}

/**
 * The digest: recorded restarts and circuits, read together with the task and usage tables for
 * a range. At the digest hour (`notify.digestHour`, local time) the day's digest goes out through `send` (the
 * webhook) and as a `digest.ready` event; a digest missed while the Mac slept goes out when it wakes.
 */
export function createDigestCapability(deps: {
  db: Db
  digestHour: () => number
  events: EventBus
  log: Logger
  send: (m: DigestMessage) => void
  clock: TimerClock
}): DigestCapability {
  const { db, clock } = deps
  const systemEvents = createSystemEventLog(db, () => clock.now())
  const unsubscribe = deps.events.subscribe((frame) => {
    try {
      systemEvents.observe(frame)
    } catch (error) {
      // A full disk must not stop the event from reaching the other listeners; the digest just misses it.
      deps.log.warn('a restart or circuit could not be recorded for the digest', { error })
    }
  })
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?')
  const setMeta = db.prepare(
    'INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'
  )
  const readTime = (key: string): number | null => {
    const row = getMeta.get(key)
    return row ? Date.parse(row.value) : null
  }
  const writeTime = (key: string, at: number): void =>
    void setMeta.run(key, new Date(at).toISOString(), new Date(clock.now()).toISOString())
  const hour = (): number => deps.digestHour()

  const rangeFor = (since: string, until: number): DigestRange => {
    const morning = (): DigestRange => ({
      from: lastHourMark(until, hour() < 0 ? DEFAULT_HOUR : hour()),
      to: until,
      basis: 'morning'
    })
    if (since === 'morning') return morning()
    if (since === 'last_visit') {
      const visit = readTime(LAST_VISIT)
      return visit === null || visit >= until ? morning() : { from: visit, to: until, basis: 'last_visit' }
    }
    return { from: Date.parse(since), to: until, basis: 'instant' }
  }

  let timer: unknown = null
  let stopped = false
  const tick = (): void => {
    timer = null
    if (stopped) return
    const now = clock.now()
    const h = hour()
    if (h >= 0) {
      const lastSent = readTime(LAST_SENT)
      const mark = lastHourMark(now, h)
      if (lastSent === null) writeTime(LAST_SENT, now)
      else if (lastSent < mark) {
        const digest = digestOf(db, { from: Math.max(lastSent, mark - DAY_MS), to: now, basis: 'instant' })
        writeTime(LAST_SENT, now)
        const text = digestText(digest)
        deps.send({ digest, title: text.title, message: text.lines.join('\n') })
        deps.events.emit('digest.ready', digest)
      }
    }
    // Re-armed at least hourly, so a changed hour, a clock change or a sleep is caught up with.
    timer = clock.setTimeout(tick, Math.min(HOUR_MS, h >= 0 ? nextHourMark(now, h) - now : HOUR_MS))
  }

  return {
    handlers: {
      'digest.get': ({ since, until }) => {
        const to = until === undefined ? clock.now() : Date.parse(until)
        const range = rangeFor(since, to)
        if (range.from >= range.to)
          return refuse(
            'invalid_input',
            `The digest's start (${new Date(range.from).toISOString()}) must be before its end (${new Date(range.to).toISOString()}): give an earlier "since" or a later "until".`
          )
        return digestOf(db, range)
      },
      'digest.seen': () => {
        const now = clock.now()
        writeTime(LAST_VISIT, now)
        return { seenAt: new Date(now).toISOString() }
      }
    },
    start() {
      if (timer === null && !stopped) tick()
    },
    stop() {
      stopped = true
      unsubscribe()
      if (timer !== null) clock.clearTimeout(timer)
    }
  }
}
