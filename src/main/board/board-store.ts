import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import {
  BoardOutcomeSchema,
  BoardPositionSchema,
  BoardSourceSchema,
  type BoardDecision,
  type BoardDecisionSummary,
  type BoardOutcome,
  type BoardSource
} from '../../shared/contract/board-contract'
import type { Db } from '../db/database'
import { afterCursor, cursorAfter, type PageRequest } from '../db/keyset'
import { tally } from './board-reply-parser'

export type NewBoardDecision = Omit<BoardDecision, 'id' | 'createdAt' | 'tally'>

export interface BoardFilter extends PageRequest {
  readonly source?: BoardSource | undefined
  readonly outcome?: BoardOutcome | undefined
  readonly query?: string | undefined
}

export interface BoardStore {
  insert(decision: NewBoardDecision): BoardDecision
  get(id: string): BoardDecision | null
  /** One page, newest first. */
  list(filter: BoardFilter): { decisions: BoardDecisionSummary[]; nextCursor: string | null }
}

interface Row {
  id: string
  question: string
  decision: string
  rationale: string
  risks: string
  positions: string
  votes: string
  outcome: string
  chair_name: string
  session_id: string | null
  message_id: string | null
  task_id: string | null
  user_id: string
  source: string
  correlation_id: string
  created_at: string
}

const Positions = z.array(BoardPositionSchema)
const Risks = z.array(z.string())

/** Board decisions in SQLite; positions, votes and risks are JSON columns read back through their schemas. */
export function createBoardStore(db: Db, now: () => Date = () => new Date()): BoardStore {
  const insert = db.prepare(`INSERT INTO board_decisions
    (id, question, decision, rationale, risks, positions, votes, outcome, chair_name, session_id, message_id, task_id, user_id, source, correlation_id, created_at)
    VALUES (@id, @question, @decision, @rationale, @risks, @positions, @votes, @outcome, @chair_name, @session_id, @message_id, @task_id, @user_id, @source, @correlation_id, @created_at)`)
  const byId = db.prepare<[string], Row>('SELECT * FROM board_decisions WHERE id = ?')

  const summary = (row: Row): BoardDecisionSummary => {
    const positions = Positions.parse(JSON.parse(row.positions))
    return {
      id: row.id,
      question: row.question,
      decision: row.decision,
      outcome: BoardOutcomeSchema.parse(row.outcome),
      tally: tally(positions.map((p) => p.vote)),
      source: BoardSourceSchema.parse(row.source),
      sessionId: row.session_id,
      messageId: row.message_id,
      taskId: row.task_id,
      createdAt: row.created_at
    }
  }

  const full = (row: Row): BoardDecision => ({
    ...summary(row),
    rationale: row.rationale,
    risks: Risks.parse(JSON.parse(row.risks)),
    positions: Positions.parse(JSON.parse(row.positions)),
    chairName: row.chair_name,
    userId: row.user_id,
    correlationId: row.correlation_id
  })

  return {
    insert(decision) {
      const id = randomUUID()
      insert.run({
        id,
        question: decision.question,
        decision: decision.decision,
        rationale: decision.rationale,
        risks: JSON.stringify(decision.risks),
        positions: JSON.stringify(decision.positions),
        votes: JSON.stringify(decision.positions.map((p) => ({ memberId: p.memberId, vote: p.vote }))),
        outcome: decision.outcome,
        chair_name: decision.chairName,
        session_id: decision.sessionId,
        message_id: decision.messageId,
        task_id: decision.taskId,
        user_id: decision.userId,
        source: decision.source,
        correlation_id: decision.correlationId,
        created_at: now().toISOString()
      })
      const row = byId.get(id)
      if (!row) throw new Error(`board decision ${id} was not stored`)
      return full(row)
    },
    get(id) {
      const row = byId.get(id)
      return row ? full(row) : null
    },
    list(filter) {
      const where: string[] = []
      const params: (string | number)[] = []
      if (filter.source) {
        where.push('d.source = ?')
        params.push(filter.source)
      }
      if (filter.outcome) {
        where.push('d.outcome = ?')
        params.push(filter.outcome)
      }
      if (filter.query) {
        const pattern = `%${filter.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
        where.push("(d.question LIKE ? ESCAPE '\\' OR d.decision LIKE ? ESCAPE '\\')")
        params.push(pattern, pattern)
      }
      if (filter.cursor !== undefined) {
        const after = afterCursor('board_decisions', 'd', 'created_at', filter.cursor)
        where.push(after.sql)
        params.push(...after.params)
      }
      const sql = `SELECT * FROM board_decisions d ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.created_at DESC, d.rowid DESC LIMIT ?`
      const rows = db.prepare<(string | number)[], Row>(sql).all(...params, filter.limit + 1)
      const more = rows.length > filter.limit
      if (more) rows.pop()
      const last = rows.at(-1)
      return {
        decisions: rows.map(summary),
        nextCursor: cursorAfter(last && { id: last.id, at: last.created_at }, more)
      }
    }
  }
}

export function summaryOf(d: BoardDecision): BoardDecisionSummary {
  return {
    id: d.id,
    question: d.question,
    decision: d.decision,
    outcome: d.outcome,
    tally: d.tally,
    source: d.source,
    sessionId: d.sessionId,
    messageId: d.messageId,
    taskId: d.taskId,
    createdAt: d.createdAt
  }
}
