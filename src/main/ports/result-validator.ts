/**
 * Judges a result before it counts: a rubric scored by a model (structured
 * output enforced), and for code steps the outcome of their tests. The
 * validation capability implements it; the task engine and the workflow
 * runner call it.
 */
export interface ValidationInput {
  readonly taskId: string
  /** The rubric's key: a task kind (`code`, `research`, `summary`, `review`, `general`…). */
  readonly kind: string
  readonly instruction: string
  readonly result: string
  readonly correlationId: string
  readonly signal?: AbortSignal
}

export interface ValidationVerdict {
  /** 0–1. */
  readonly score: number
  readonly passed: boolean
  readonly reasons: readonly string[]
  readonly model: string | null
  /**
   * Set when no validator could judge the result (no model connected, every backend failed, no
   * answer in time): the result is let through at the pass mark (`passed` true, `score` the mark
   * itself) so a broken validator never fails good work, and this says why.
   */
  readonly unjudged?: string
}

export interface ResultValidator {
  validate(input: ValidationInput): Promise<ValidationVerdict>
}

export interface TestRunRequest {
  /** e.g. `npm test`, `pytest -q`; run without a shell's expansions beyond argument splitting. */
  readonly command: string
  readonly cwd: string
  /** The folder `cwd` is a scratch copy of, stored in its place: the copy is gone once the run ends. */
  readonly copyOf?: string
  readonly timeoutMs: number
  readonly outputCapBytes: number
  /** Fails the run below this line coverage, 0–100, where the tool reports coverage. */
  readonly minCoveragePercent?: number
  /** Whose run it is, stored with the outcome so the task's detail and the run's timeline show it. */
  readonly taskId?: string
  readonly runId?: string
}

export type TestRunOutcome =
  | {
      readonly status: 'passed' | 'failed'
      readonly exitCode: number
      readonly passed: number | null
      readonly failed: number | null
      readonly coveragePercent: number | null
      readonly format: 'junit' | 'tap' | 'summary_line' | 'exit_code'
      readonly output: string
      readonly durationMs: number
    }
  | {
      readonly status: 'timed_out' | 'could_not_start'
      readonly message: string
      readonly output: string
      readonly durationMs: number
    }

export interface TestRunner {
  run(request: TestRunRequest): Promise<TestRunOutcome>
}
