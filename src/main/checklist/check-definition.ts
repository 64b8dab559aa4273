import type { CheckResult } from '../../shared/contract/checklist-contract'

export type CheckArea = CheckResult['area']
export type FixId = NonNullable<CheckResult['fix']>

export interface CheckOutcome {
  readonly status: 'pass' | 'warn' | 'fail'
  /** The measured value, with its number, e.g. "quick_check: ok; WAL file 1.2 MiB". */
  readonly evidence: string
}

/** One automated check of the verification checklist. */
export interface CheckDefinition {
  readonly id: string
  readonly title: string
  readonly area: CheckArea
  /** hard: a failure means the app is not healthy; soft: a warning. */
  readonly severity: 'hard' | 'soft'
  readonly measures: string
  readonly remedy: string
  readonly fix: FixId | null
  /** How long it may take, when not the runner's default: a check that reads a whole file off the event loop. */
  readonly timeoutMs?: number
  run(signal: AbortSignal): Promise<CheckOutcome> | CheckOutcome
}
