import { openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs'
import type { Logger } from '../log/logger'

/**
 * Whether this run of the app holds claims unwritten (Lease.held), kept in a small file beside the database.
 * A held claim leaves no trace of its run until the next group commit writes it, so a quick task that crashes
 * the app within that turn of the event loop is not counted towards putting it aside as a poison task
 * (task-recovery.ts). The mark says a crash may have been such a run's: the next start then writes every claim
 * before its run, so a task that crashes the app again is counted as any other. One write before the first
 * held run starts, one removal at a clean stop: no write per task. It is not flushed: the crash it is for is
 * the app's, and the kernel keeps what a dead process wrote.
 */
export interface HeldClaimsMark {
  /** Whether the last run of the app ended without a clean stop while it held claims; the mark is then cleared. */
  takeCrashed(): boolean
  /** Marks that claims are held, before the first held run starts; false if the mark could not be written. */
  mark(): boolean
  /** At a clean stop, once no claim is held. */
  clear(): void
}

const HELD = 'held'

export function createHeldClaimsMark(path: string, log: Logger): HeldClaimsMark {
  let marked = false

  function clear(): void {
    try {
      rmSync(path, { force: true })
      marked = false
    } catch (error) {
      log.warn('the mark of held claims could not be removed; the next start writes every claim first', { path, error })
    }
  }

  return {
    takeCrashed() {
      let text: string
      try {
        text = readFileSync(path, 'utf8')
      } catch {
        return false
      }
      clear()
      return text === HELD
    },
    mark() {
      if (marked) return true
      try {
        const fd = openSync(path, 'w')
        try {
          writeSync(fd, HELD)
        } finally {
          closeSync(fd)
        }
        marked = true
      } catch (error) {
        log.warn('held claims could not be marked; every claim is written before its run starts', { path, error })
      }
      return marked
    },
    clear
  }
}
