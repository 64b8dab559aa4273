import type { Db } from '../db/database'
import type { TestRunOutcome, TestRunRequest } from '../ports/result-validator'

export interface StoredTestRun {
  readonly command: string
  readonly cwd: string
  readonly outcome: TestRunOutcome
  readonly at: string
}

interface Row {
  command: string
  cwd: string
  status: TestRunOutcome['status']
  format: string | null
  exit_code: number | null
  passed: number | null
  failed: number | null
  coverage_percent: number | null
  message: string | null
  output: string
  duration_ms: number
  at: number
}

/** Each test command's outcome, one row a run. */
export function createTestRunStore(db: Db, now: () => number = Date.now) {
  const insert = db.prepare(`INSERT INTO test_runs
    (task_id, run_id, command, cwd, status, format, exit_code, passed, failed, coverage_percent, message, output, duration_ms, at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const ofTask = db.prepare<[string], Row>('SELECT * FROM test_runs WHERE task_id = ? ORDER BY at, id')
  return {
    record(request: TestRunRequest, o: TestRunOutcome): void {
      const finished = o.status === 'passed' || o.status === 'failed' ? o : null
      const stopped = o.status === 'timed_out' || o.status === 'could_not_start' ? o : null
      insert.run(
        request.taskId ?? null,
        request.runId ?? null,
        request.command,
        request.copyOf ?? request.cwd,
        o.status,
        finished?.format ?? null,
        finished?.exitCode ?? null,
        finished?.passed ?? null,
        finished?.failed ?? null,
        finished?.coveragePercent ?? null,
        stopped?.message ?? null,
        o.output,
        Math.round(o.durationMs),
        now()
      )
    },
    ofTask(taskId: string): StoredTestRun[] {
      return ofTask.all(taskId).map((r) => ({
        command: r.command,
        cwd: r.cwd,
        at: new Date(r.at).toISOString(),
        outcome:
          r.status === 'passed' || r.status === 'failed'
            ? {
                status: r.status,
                exitCode: r.exit_code ?? 0,
                passed: r.passed,
                failed: r.failed,
                coveragePercent: r.coverage_percent,
                format: (r.format ?? 'exit_code') as 'junit' | 'tap' | 'summary_line' | 'exit_code',
                output: r.output,
                durationMs: r.duration_ms
              }
            : { status: r.status, message: r.message ?? '', output: r.output, durationMs: r.duration_ms }
      }))
    }
  }
}

export type TestRunStore = ReturnType<typeof createTestRunStore>
