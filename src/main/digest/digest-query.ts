import type { Digest } from '../../shared/contract/digest-contract'
import type { TaskErrorType } from '../../shared/contract/tasks-contract'
import type { Db } from '../db/database'

export interface DigestRange {
  readonly from: number
  readonly to: number
  readonly basis: Digest['basis']
}

const SAMPLES = 5
const LATEST = 10

/**
 * What happened between `from` and `to`, read from the database alone (task tables, chat usage,
 * the system events), so the same range always gives the same digest, whenever it is asked.
 */
export function digestOf(db: Db, range: DigestRange): Digest {
  const { from, to } = range
  const iso = (ms: number): string => new Date(ms).toISOString()
  const completed =
    db
      .prepare<[number, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM tasks WHERE completed_at >= ? AND completed_at < ?'
      )
      .get(from, to)?.n ?? 0
  const inReviewWhere = "status = 'deferred_to_human' AND updated_at >= ? AND updated_at < ?"
  const causes = db
    .prepare<[number, number], { cause: string | null; n: number }>(
      `SELECT error_type AS cause, COUNT(*) AS n FROM tasks WHERE ${inReviewWhere} GROUP BY error_type`
    )
    .all(from, to)
  const samples = db
    .prepare<
      [number, number, number],
      { id: string; title: string; error_type: TaskErrorType | null; last_error: string | null }
    >(`SELECT id, title, error_type, last_error FROM tasks WHERE ${inReviewWhere} ORDER BY updated_at DESC LIMIT ?`)
    .all(from, to, SAMPLES)
  const occurrences = (kind: 'restart' | 'circuit_open'): Digest['restarts'] => {
    const count =
      db
        .prepare<[string, number, number], { n: number }>(
          'SELECT COUNT(*) AS n FROM system_events WHERE kind = ? AND at >= ? AND at < ?'
        )
        .get(kind, from, to)?.n ?? 0
    const latest = db
      .prepare<[string, number, number, number], { at: number; subject: string; cause: string | null }>(
        'SELECT at, subject, cause FROM system_events WHERE kind = ? AND at >= ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?'
      )
      .all(kind, from, to, LATEST)
    return { count, latest: latest.map((r) => ({ at: iso(r.at), subject: r.subject, cause: r.cause })) }
  }
  const answers = db
    .prepare<[string, string], { answers: number; fallbacks: number }>(
      "SELECT COUNT(*) AS answers, COALESCE(SUM(fell_back), 0) AS fallbacks FROM model_usage WHERE source = 'chat' AND purpose = 'answer' AND failed = 0 AND created_at >= ? AND created_at < ?"
    )
    .get(iso(from), iso(to)) ?? { answers: 0, fallbacks: 0 }
  const usage = db
    .prepare<[string, string], { requests: number; tokens_in: number; tokens_out: number; cost: number }>(
      'SELECT COUNT(*) AS requests, COALESCE(SUM(tokens_in), 0) AS tokens_in, COALESCE(SUM(tokens_out), 0) AS tokens_out, COALESCE(SUM(cost), 0) AS cost FROM model_usage WHERE created_at >= ? AND created_at < ?'
    )
    .get(iso(from), iso(to)) ?? { requests: 0, tokens_in: 0, tokens_out: 0, cost: 0 }
  return {
    from: iso(from),
    to: iso(to),
    basis: range.basis,
    tasks: {
      completed,
      inReview: causes.reduce((n, c) => n + c.n, 0),
      reviewCauses: Object.fromEntries(causes.map((c) => [c.cause ?? 'other', c.n])),
      reviewSamples: samples.map((s) => ({
        id: s.id,
        title: s.title,
        errorType: s.error_type,
        lastError: s.last_error
      }))
    },
    restarts: occurrences('restart'),
    circuits: occurrences('circuit_open'),
    chat: {
      answers: answers.answers,
      fallbacks: answers.fallbacks,
      fallbackShare: answers.answers > 0 ? answers.fallbacks / answers.answers : null
    },
    usage: { requests: usage.requests, tokensIn: usage.tokens_in, tokensOut: usage.tokens_out, cost: usage.cost }
  }
}
