import type { Logger } from '../log/logger'

export const QUIT_DEADLINE_MS = 15_000

/**
 * Waits for the core to stop, up to a deadline: a model server that ignores
 * SIGTERM or a task that never yields must not keep the app from quitting.
 * Past the deadline the app exits anyway, and the log says so; the tasks the
 * core could not release are taken again on the next start (claims expire).
 * Resolves with how the wait ended.
 */
export async function stopWithin(
  stop: () => Promise<void>,
  options: { deadlineMs: number; log: Logger; setTimer?: typeof setTimeout; clearTimer?: typeof clearTimeout }
): Promise<'stopped' | 'deadline' | 'failed'> {
  const setTimer = options.setTimer ?? setTimeout
  const clearTimer = options.clearTimer ?? clearTimeout
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimer(() => resolve('deadline'), options.deadlineMs)
  })
  const stopped = stop().then(
    () => 'stopped' as const,
    (error: unknown) => {
      options.log.error('the core failed while stopping; quitting anyway', {
        error: error instanceof Error ? error.message : String(error)
      })
      return 'failed' as const
    }
  )
  const outcome = await Promise.race([stopped, deadline])
  if (timer !== undefined) clearTimer(timer)
  if (outcome === 'deadline')
    options.log.warn('the core did not stop within the quit deadline; quitting anyway', {
      deadlineMs: options.deadlineMs
    })
  return outcome
}
