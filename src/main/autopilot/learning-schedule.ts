import type { Logger } from '../log/logger'

/** The first run waits this long after start, so the model servers have been scanned once. */
const FIRST_RUN_MS = 60_000

/** Runs the generator after start and then every `intervalMinutes` (read again after each run); one run at a time. */
export function scheduleLearning(
  run: () => Promise<unknown>,
  intervalMinutes: () => number,
  log: Logger
): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | null = null
  let running: Promise<unknown> | null = null
  let stopped = false
  const arm = (ms: number): void => {
    if (stopped) return
    timer = setTimeout(() => {
      running = run()
        .catch((error: unknown) => log.error('learning-task generator failed', { error }))
        .finally(() => {
          running = null
          arm(intervalMinutes() * 60_000)
        })
    }, ms)
    timer.unref()
  }
  arm(FIRST_RUN_MS)
  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    }
  }
}
