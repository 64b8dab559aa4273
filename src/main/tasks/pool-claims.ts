import type { BackendLimits } from '../ports/backend-limits'
import {
  isBackendFailure,
  type ProcessingPlan,
  type TaskForProcessing,
  type TaskProcessor
} from '../ports/task-processor'
import type { Logger } from '../log/logger'
import type { BackendBlame } from './backend-blame'
import { callOrdinals, pickTasks, schedulerMemory, type SchedulableTask } from './scheduler'
import { forProcessing, type Claim } from './task-run'
import type { ClaimableRow } from './task-row'
import type { Changes, ClaimPick, TaskStore } from './task-store'

/** A claimable row with the task made of it once, for the processor's plan and then its run. */
interface Candidate {
  readonly row: ClaimableRow
  readonly task: TaskForProcessing
}

/** What one claim needs to know of the pool at that moment. */
export interface ClaimRequest {
  readonly processor: TaskProcessor
  /** Slots to fill: the free ones, and as many more as are claimed ahead. */
  readonly free: number
  /** Of those, how many start at once; the rest are claimed ahead of a free slot. */
  readonly startNow: number
  /** Plans of the runs going and claimed: the scheduler spreads new work around them. */
  readonly busy: readonly ProcessingPlan[]
  readonly maxAttempts: number
  readonly heavyPerBackend: number
  /** Runs are quick: the claims that start at once are held, written with their completions (Lease.held). */
  readonly hold: boolean
  /** Tasks this pool holds unwritten claims on: their rows still read as claimable. */
  readonly held: ReadonlySet<string> | null
}

/**
 * Which pending tasks a pool takes next, in the group commit that freed
 * their slots: candidates in priority order, planned by the processor,
 * picked by the scheduler, claimed under one timestamp. Tasks no backend can
 * run now stay pending, and why is kept as the reason the queue waits.
 */
export function createPoolClaims(options: {
  readonly store: TaskStore
  readonly owner: string
  readonly log: Logger
  readonly blame: BackendBlame
  readonly backendLimits?: BackendLimits | undefined
  /** Told when the reason pending tasks wait appears, changes or clears. */
  readonly onWaitingChanged?: (() => void) | undefined
}) {
  const { store, log, blame } = options
  const memory = schedulerMemory()
  /** Why pending tasks are not being claimed right now, for the Tasks view; null while they are. */
  let waitingReason: string | null = null
  let lastUnplannedLog = 0

  function setWaiting(reason: string | null): void {
    if (reason === waitingReason) return
    waitingReason = reason
    options.onWaitingChanged?.()
  }

  return {
    waitingReason: (): string | null => waitingReason,
    setWaiting,

    claim(request: ClaimRequest, changes: Changes): Claim[] {
      const { processor, free } = request
      const limits = options.backendLimits
      // A free slot is a model call, which may answer a batch of tasks: read enough to fill it.
      const perCall = Math.max(1, limits?.tasksPerCall?.() ?? 1)
      const rows = store.candidates(free * perCall + Math.min(free, 16), request.maxAttempts)
      const candidates: SchedulableTask<Candidate>[] = []
      let unplanned: { taskId: string; correlationId: string; reason: string; error: unknown } | null = null
      for (const row of rows) {
        if (request.held?.has(row.id)) continue
        const task = forProcessing(row)
        try {
          candidates.push({ item: { row, task }, rank: row.priority_rank, plan: processor.plan(task) })
        } catch (error) {
          unplanned ??= { taskId: row.id, correlationId: task.correlationId, reason: (error as Error).message, error }
        }
      }
      setWaiting(candidates.length === 0 && unplanned ? unplanned.reason : null)
      if (unplanned && isBackendFailure(unplanned.error))
        blame.giveBackLookalikes(unplanned.error.type, unplanned.error.retryAfterMs, changes)
      // Tasks that cannot be planned wait as pending; said once a minute, not once per poll.
      if (unplanned && Date.now() - lastUnplannedLog > 60_000) {
        lastUnplannedLog = Date.now()
        log.info('tasks wait: no plan', {
          correlation_id: unplanned.correlationId,
          task_id: unplanned.taskId,
          reason: unplanned.reason
        })
      }
      // A task in flight at a crash is claimed only into a free slot: claimed ahead, its token would say it never ran,
      // and a crash it causes after it starts would not count towards putting it aside as a poison task.
      const picked = pickTasks(
        candidates,
        request.busy,
        free,
        { heavyPerBackend: request.heavyPerBackend, ...(limits ? { of: (b: string) => limits.of(b) } : {}) },
        memory
      )
      // Counted in calls, as the slots are: the tasks of a batch start with the call they share (without batches, a call each).
      const ordinals = picked.some((p) => p.plan.call) ? callOrdinals(picked.map((p) => p.plan)) : null
      const picks: SchedulableTask<Candidate>[] = []
      const claims: ClaimPick[] = []
      picked.forEach((p, i) => {
        const call = ordinals ? (ordinals[i] as number) : i
        if (call >= request.startNow && p.item.row.interrupted_count !== 0) return
        picks.push(p)
        const ahead = call >= request.startNow
        // A task in flight at a crash is always claimed in writing, so the next crash it causes is counted.
        const { row } = p.item
        const hold = request.hold && !ahead && row.interrupted_count === 0 ? { updatedAt: row.updated_at } : null
        claims.push({ row, backend: p.plan.backend, model: p.plan.model, ahead, hold })
      })
      const leases = store.claimMany(claims, options.owner, request.maxAttempts, changes)
      const byId = new Map(picks.map((p) => [p.item.row.id, p]))
      return leases.map((lease) => {
        const pick = byId.get(lease.taskId) as SchedulableTask<Candidate>
        return { lease, row: pick.item.row, task: pick.item.task, plan: pick.plan }
      })
    }
  }
}
