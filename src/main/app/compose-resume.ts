import type { Logger } from '../log/logger'
import { createSuspendDetector } from '../platform/suspend-detector'
import type { Lifecycle } from './composition-types'
import { createSystemResume, type SystemResume } from './system-resume'

const SUSPEND_CHECK_MS = 5_000
// Sleep shorter than this needs no recovery (a server does not die of it); it also stays clear of NTP's small steps.
const MIN_SLEEP_MS = 20_000

/**
 * The wake-from-sleep path: supervised servers first (they may have died
 * asleep), then the nodes are scanned again, then the running tasks prove
 * their leases alive and the pool looks for work.
 */
export function composeResume(parts: {
  readonly log: Logger
  readonly background: boolean
  readonly supervisor: { onSystemResume(): Promise<void> | void }
  readonly models: Lifecycle
  readonly tasks: Lifecycle
  /** The suspend detector joins them, to be stopped on close. */
  readonly lifecycles: Lifecycle[]
}): SystemResume {
  const { supervisor, models, tasks } = parts
  const resume = createSystemResume({
    log: parts.log,
    steps: [
      { step: 'supervisor check', run: () => supervisor.onSystemResume() },
      { step: 'model node rescan', run: () => models.onSystemResume?.() },
      { step: 'task lease grace', run: () => tasks.onSystemResume?.() }
    ]
  })
  if (parts.background) {
    // The headless host has no powerMonitor: the core notices a wake itself.
    const detector = createSuspendDetector({
      wall: Date.now,
      monotonic: () => performance.now(),
      everyMs: SUSPEND_CHECK_MS,
      minSleepMs: MIN_SLEEP_MS,
      onWake: (sleptMs) => void resume.run('detected', sleptMs)
    })
    detector.start()
    parts.lifecycles.push({ stop: () => detector.stop() })
  }
  return resume
}
