import type { CheckResult, ChecklistRun } from '../../shared/contract/checklist-contract'
import type { CheckDefinition } from './check-definition'

/**
 * Runs every check, each bounded by a timeout and isolated from the others:
 * a check that throws or hangs is reported as `error` with what happened,
 * never lost and never blocking the rest.
 */
export async function runChecks(
  checks: readonly CheckDefinition[],
  options: { timeoutMs: number; now: () => Date }
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      const started = options.now()
      const controller = new AbortController()
      let timer: NodeJS.Timeout | undefined
      const timeoutMs = check.timeoutMs ?? options.timeoutMs
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort()
          reject(new Error(`did not answer within ${Math.round(timeoutMs / 1000)} s`))
        }, timeoutMs)
      })
      let status: CheckResult['status']
      let evidence: string
      try {
        const outcome = await Promise.race([Promise.resolve().then(() => check.run(controller.signal)), timeout])
        status = outcome.status
        evidence = outcome.evidence
      } catch (error) {
        status = 'error'
        evidence = `The check could not measure: ${(error as Error).message ?? String(error)}`
      } finally {
        clearTimeout(timer)
      }
      const finished = options.now()
      return {
        id: check.id,
        title: check.title,
        area: check.area,
        severity: check.severity,
        status,
        evidence,
        measures: check.measures,
        remedy: check.remedy,
        fix: check.fix,
        measuredAt: finished.toISOString(),
        durationMs: Math.max(0, finished.getTime() - started.getTime())
      }
    })
  )
}

/** Hard failures (or hard checks that could not measure) block "healthy"; anything else not passing warns. */
export function verdictOf(results: readonly CheckResult[]): ChecklistRun['verdict'] {
  if (results.some((r) => r.severity === 'hard' && (r.status === 'fail' || r.status === 'error'))) return 'unhealthy'
  if (results.some((r) => r.status !== 'pass')) return 'warnings'
  return 'healthy'
}
