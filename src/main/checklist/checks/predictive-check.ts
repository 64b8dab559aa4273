import type { CheckDefinition } from '../check-definition'

/** The predictive monitor as the checklist sees it (autopilot/predictive-monitor.ts). */
export interface PredictiveCheckPort {
  check(): Promise<{ readonly state: 'clear' | 'alert'; readonly evidence: string }>
}

/**
 * The predictive monitor runs inside the scheduled checks, as in the
 * operators' self-check: each run measures the queue and files or closes the
 * SRE task; the check shows what it found.
 */
export function predictiveCheck(monitor: PredictiveCheckPort): CheckDefinition {
  return {
    id: 'worker.predictive-monitor',
    title: 'Queue not drifting into trouble',
    area: 'worker',
    severity: 'soft',
    measures:
      'Running tasks without an update and pending tasks waiting long, against the autopilot.* thresholds; over either, one SRE task is filed (and closed once clear).',
    remedy:
      'Open the SRE task it names: check the model servers, the worker log for the tasks listed, and whether the worker is paused.',
    fix: null,
    async run() {
      const verdict = await monitor.check()
      return { status: verdict.state === 'alert' ? 'warn' : 'pass', evidence: verdict.evidence }
    }
  }
}
