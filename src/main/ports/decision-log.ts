/**
 * Where every workflow decision is written down: hand-offs, validation
 * verdicts, escalations, approvals and policy blocks. The workflow capability
 * stores the rows; the validator, the escalation ladder and the approval
 * queue record through this port so no capability imports another.
 */
export type DecisionKind = 'handoff' | 'sent_back' | 'validation' | 'escalation' | 'approval' | 'policy_block'

export interface DecisionRecord {
  /** The workflow run, or null for a plain task (the ladder and the validator also judge those). */
  readonly runId: string | null
  readonly taskId: string | null
  /** The step's name in its workflow definition, or null outside a workflow. */
  readonly step: string | null
  /** Who decided: an expert id, `validator`, `board`, `policy:<name>` or `person`. */
  readonly role: string
  /** What was decided, in one word of the deciding party's vocabulary (`accepted`, `retry_other_model`, `approved`…). */
  readonly decision: string
  readonly kind: DecisionKind
  readonly reasons: readonly string[]
  readonly model: string | null
  readonly correlationId: string | null
}

export interface DecisionLog {
  record(decision: DecisionRecord): void
}
