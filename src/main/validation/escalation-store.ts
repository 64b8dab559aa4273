import type { Db } from '../db/database'

export const ESCALATION_STATES = [
  'consulting',
  'retry_other_model',
  'change_approach',
  'give_up',
  'board_unavailable'
] as const
export type EscalationState = (typeof ESCALATION_STATES)[number]

export interface Escalation {
  readonly taskId: string
  readonly round: number
  readonly state: EscalationState
  readonly failedModel: string | null
  readonly nextModel: string | null
  readonly nextNode: string | null
  /** The revised instruction when the board changed the approach. */
  readonly instruction: string | null
  /** What the board said, in its words: shown on the review card. */
  readonly boardView: string | null
  readonly decisionId: string | null
  readonly createdAt: string
  readonly decidedAt: string | null
}

interface Row {
  task_id: string
  round: number
  state: EscalationState
  failed_model: string | null
  next_model: string | null
  next_node: string | null
  instruction: string | null
  board_view: string | null
  decision_id: string | null
  created_at: number
  decided_at: number | null
}

const escalationOf = (r: Row): Escalation => ({
  taskId: r.task_id,
  round: r.round,
  state: r.state,
  failedModel: r.failed_model,
  nextModel: r.next_model,
  nextNode: r.next_node,
  instruction: r.instruction,
  boardView: r.board_view,
  decisionId: r.decision_id,
  createdAt: new Date(r.created_at).toISOString(),
  decidedAt: r.decided_at === null ? null : new Date(r.decided_at).toISOString()
})

export type EscalationDecision = Pick<
  Escalation,
  'state' | 'nextModel' | 'nextNode' | 'instruction' | 'boardView' | 'decisionId'
>

/** The ladder's rounds per task, in SQLite, so a consultation cut by a restart is taken up again. */
export function createEscalationStore(db: Db, now: () => number = Date.now) {
  const open = db.prepare(
    `INSERT INTO escalations (task_id, round, state, failed_model, created_at) VALUES (?, ?, 'consulting', ?, ?)
     ON CONFLICT (task_id, round) DO NOTHING`
  )
  const decide = db.prepare(
    `UPDATE escalations SET state = ?, next_model = ?, next_node = ?, instruction = ?, board_view = ?, decision_id = ?, decided_at = ?
     WHERE task_id = ? AND round = ? AND state = 'consulting'`
  )
  const ofTask = db.prepare<[string], Row>('SELECT * FROM escalations WHERE task_id = ? ORDER BY round')
  const consulting = db.prepare<[], Row>("SELECT * FROM escalations WHERE state = 'consulting' ORDER BY created_at")
  const latestActive = db.prepare<[], Row>(
    `SELECT e.* FROM escalations e WHERE e.state IN ('retry_other_model', 'change_approach')
     AND e.round = (SELECT max(round) FROM escalations WHERE task_id = e.task_id)`
  )
  return {
    /** Opens round `round` for the task; false when it was already open (another event, or before a restart). */
    open(taskId: string, round: number, failedModel: string | null): boolean {
      return open.run(taskId, round, failedModel, now()).changes > 0
    },
    decide(taskId: string, round: number, d: EscalationDecision): boolean {
      return (
        decide.run(d.state, d.nextModel, d.nextNode, d.instruction, d.boardView, d.decisionId, now(), taskId, round)
          .changes > 0
      )
    },
    ofTask: (taskId: string): Escalation[] => ofTask.all(taskId).map(escalationOf),
    consulting: (): Escalation[] => consulting.all().map(escalationOf),
    /** The latest round of each task whose board said to run it again differently. */
    activeOverrides: (): Escalation[] => latestActive.all().map(escalationOf)
  }
}

export type EscalationStore = ReturnType<typeof createEscalationStore>
