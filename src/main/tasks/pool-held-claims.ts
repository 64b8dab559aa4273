import type { Logger } from '../log/logger'
import type { HeldClaimsMark } from './held-claims-mark'
import type { Claim, TaskRun } from './task-run'

/**
 * A pool's claims held unwritten (Lease.held): whether it may hold them, the tasks it must keep out of its own
 * claims while they read as pending, and the mark that makes the start after a crash write every claim first
 * (held-claims-mark.ts). Without a mark, nothing is held.
 */
export function createPoolHeldClaims(mark: HeldClaimsMark | undefined, log: Logger) {
  let holdable = mark !== undefined
  /**
   * Started runs whose claim is held. A run leaves once its claim is written, or once it ended with nothing to
   * write (cancelled, its lease lost: the task changed); a settlement a failed group took back keeps it here.
   */
  const runs = new Set<TaskRun>()

  return {
    /** At the pool's start: after a crash that held claims, every claim of this run is written first. */
    start(): void {
      if (!mark?.takeCrashed()) return
      holdable = false
      log.warn(
        'the app stopped while quick tasks ran under claims held unwritten; until its next start, every claim is written before its run'
      )
    },
    /** Whether the claims that start at once may be held now. */
    may: (quick: boolean): boolean => holdable && quick,
    /** Before claims start: the first held one is marked; if the mark cannot be written, no more are held. */
    starting(claims: readonly Claim[]): void {
      if (claims.some((c) => c.lease.held) && mark?.mark() === false) holdable = false
    },
    started(run: TaskRun): void {
      if (run.lease.held) runs.add(run)
    },
    /** The tasks no claim may take: those of held runs, and of held claims not started yet (`ready`). */
    tasks(ready: readonly Claim[]): ReadonlySet<string> | null {
      for (const run of runs)
        if (!run.lease.held || (run.stopReason !== null && run.stopReason !== 'timeout')) runs.delete(run)
      const unstarted = ready.filter((claim) => claim.lease.held)
      if (runs.size === 0 && unstarted.length === 0) return null
      return new Set([...[...runs].map((run) => run.lease.taskId), ...unstarted.map((claim) => claim.lease.taskId)])
    },
    /** At a clean stop: the held claims were let go unwritten, and their tasks are pending as they were. */
    stopped(): void {
      mark?.clear()
    }
  }
}
