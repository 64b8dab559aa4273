import type { DecisionRow, RunStep } from './contract/workflows-contract'

/** The step a decision belongs to: validator and test rows name only their task, so the step is found through it. */
export function decisionStep(decision: DecisionRow, steps: readonly RunStep[]): string | null {
  return decision.step ?? steps.find((s) => s.taskId !== null && s.taskId === decision.taskId)?.step ?? null
}
