import type { ProcessingPlan } from '../ports/task-processor'

/**
 * The pool's slots count model calls, not tasks: the tasks of a batch the
 * scheduler formed (plan.call) ride on one call and take one slot together.
 * Kept as a running count, so starting a task stays O(1) on the hot path.
 */
export function createCallSlots() {
  const members = new Map<string, number>()
  /** Running tasks whose call another running task already holds. */
  let riders = 0
  return {
    add(plan: ProcessingPlan): void {
      if (!plan.call) return
      const n = members.get(plan.call.id) ?? 0
      if (n > 0) riders++
      members.set(plan.call.id, n + 1)
    },
    remove(plan: ProcessingPlan): void {
      if (!plan.call) return
      const n = members.get(plan.call.id) ?? 0
      if (n > 1) riders--
      if (n > 1) members.set(plan.call.id, n - 1)
      else members.delete(plan.call.id)
    },
    /** Calls in flight for `running` tasks. */
    inFlight: (running: number): number => running - riders,
    /** True when the task's call is already in flight: it starts without a slot of its own. */
    rides: (plan: ProcessingPlan): boolean => plan.call !== undefined && members.has(plan.call.id)
  }
}
