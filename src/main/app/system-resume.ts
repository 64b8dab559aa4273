import type { ResumeReport } from '../../shared/contract/app-contract'
import type { Logger } from '../log/logger'

export interface ResumeStep {
  readonly step: string
  run(): Promise<void> | void
}

type Trigger = ResumeReport['trigger']

/** The OS and the core's own clock check both see one wake; a second report within this long is the same wake. */
const SAME_WAKE_MS = 60_000

/**
 * The one wake-from-sleep path, whoever notices the wake: Electron's
 * powerMonitor, the suspend detector (the headless host has no powerMonitor),
 * or a person (`system.resume`, `kos system resume`). Steps run in order, each
 * even if one before it failed. A run in progress is joined, not repeated,
 * and an automatic trigger right after another run reuses its report.
 */
export function createSystemResume(options: {
  readonly steps: readonly ResumeStep[]
  readonly log: Logger
  readonly now?: () => number
}) {
  const now = options.now ?? Date.now
  let inFlight: Promise<ResumeReport> | null = null
  let last: { readonly at: number; readonly report: ResumeReport } | null = null

  async function runSteps(trigger: Trigger, sleptMs: number | null): Promise<ResumeReport> {
    const startedAt = now()
    options.log.info('system resumed from sleep', {
      trigger,
      slept_sec: sleptMs === null ? null : Math.round(sleptMs / 1000)
    })
    const steps: ResumeReport['steps'] = []
    for (const { step, run } of options.steps) {
      try {
        await run()
        steps.push({ step, ok: true, error: null })
      } catch (error) {
        options.log.error('a step of the resume path failed', { step, error })
        steps.push({ step, ok: false, error: error instanceof Error ? error.message : String(error) })
      }
    }
    const report: ResumeReport = {
      trigger,
      sleptSec: sleptMs === null ? null : Math.round(sleptMs / 1000),
      startedAt: new Date(startedAt).toISOString(),
      steps
    }
    last = { at: now(), report }
    return report
  }

  return {
    run(trigger: Trigger, sleptMs: number | null = null): Promise<ResumeReport> {
      if (inFlight) return inFlight
      if (trigger !== 'manual' && last && now() - last.at < SAME_WAKE_MS) return Promise.resolve(last.report)
      inFlight = runSteps(trigger, sleptMs).finally(() => {
        inFlight = null
      })
      return inFlight
    }
  }
}

export type SystemResume = ReturnType<typeof createSystemResume>
