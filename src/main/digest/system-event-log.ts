import type { EventPayload } from '../../shared/contract/contract'
import type { EventFrame } from '../../shared/contract/wire'
import type { Db } from '../db/database'

export type SystemEventKind = 'restart' | 'circuit_open'

/**
 * Keeps what the task tables do not: each model-server restart and each opened circuit, with its
 * cause, so the digest can tell them after the app itself restarted.
 */
export function createSystemEventLog(
  db: Db,
  now: () => number
): { record(kind: SystemEventKind, subject: string, cause: string | null): void; observe(frame: EventFrame): void } {
  const insert = db.prepare('INSERT INTO system_events (at, kind, subject, cause) VALUES (?, ?, ?, ?)')
  const states = new Map<string, string>()
  const record = (kind: SystemEventKind, subject: string, cause: string | null): void =>
    void insert.run(now(), kind, subject, cause)
  return {
    record,
    observe(frame) {
      if (frame.name === 'supervisor.changed') {
        for (const p of frame.payload as EventPayload<'supervisor.changed'>) {
          const before = states.get(p.id)
          states.set(p.id, p.state)
          if (p.state !== 'restarting' || before === 'restarting') continue
          const exit = p.lastExit
            ? `exited${p.lastExit.code !== null ? ` with code ${p.lastExit.code}` : ''}${p.lastExit.signal ? ` on ${p.lastExit.signal}` : ''}`
            : null
          record(
            'restart',
            p.label,
            p.lastFailure ? `${p.lastFailure.kind}: ${p.lastFailure.line}` : (p.reason ?? exit)
          )
        }
      } else if (frame.name === 'models.circuitChanged') {
        const change = frame.payload as EventPayload<'models.circuitChanged'>
        if (change.to === 'open' && change.from === 'closed')
          record('circuit_open', `${change.node} (${change.model})`, change.circuit?.reason ?? null)
      }
    }
  }
}
