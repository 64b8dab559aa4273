import { isBackendFailure, type TaskForProcessing, type TaskProcessor } from '../ports/task-processor'
import type { TaskErrorType } from '../../shared/contract/tasks-contract'
import { forProcessing } from './task-run'
import type { Changes, TaskStore } from './task-store'

const GIVE_BACK_EVERY_MS = 5_000
const GIVE_BACK_MAX = 64
const WAITS_WHILE_PLANNABLE = 3

/**
 * Whose failure it was, settled by what the processor says next. It blames
 * a failure on the backend or on the task as it happens; whether it can
 * still plan the task there afterwards (an open circuit or a node marked
 * down says no) is the evidence that corrects both mistakes.
 */
export function createBackendBlame(options: {
  readonly store: Pick<TaskStore, 'failedSince' | 'giveBack'>
  readonly processor: () => TaskProcessor | null
  readonly now: () => number
  /** How far back a failure can be taken for the backend's (its circuit window). */
  readonly windowMs: () => number
  readonly minRetryMs: number
}) {
  const { store, now } = options
  const lastGiveBack = new Map<string, number>()
  /** Per task: backend-blamed failures in a row while its backend still took other tasks. */
  const waitsWhilePlannable = new Map<string, number>()

  return {
    /**
     * A failure blamed on the backend while the processor still plans the
     * task there (no open circuit, the node up) hits this task alone: after a
     * few such put-backs in a row its attempts count, so a prompt the server
     * always fails reaches a person instead of waiting forever.
     */
    onTaskAfterAll(id: string, task: TaskForProcessing): boolean {
      const processor = options.processor()
      let plannable = false
      try {
        processor?.plan(task)
        plannable = processor !== null
      } catch {
        // Unplannable: the backend is failing for every task, as blamed.
      }
      if (!plannable) {
        waitsWhilePlannable.delete(id)
        return false
      }
      const waits = (waitsWhilePlannable.get(id) ?? 0) + 1
      if (waits <= WAITS_WHILE_PLANNABLE) {
        waitsWhilePlannable.set(id, waits)
        return false
      }
      return true
    },

    /** The task completed, was cancelled or went to a person: a return starts it afresh. */
    forget(id: string): void {
      waitsWhilePlannable.delete(id)
    },

    /**
     * The attempts the same failure took before the processor knew its
     * backend fails every request (the first echoes or 500s, before a circuit
     * opens): a task that failed so within the backend's window and still
     * cannot be planned for that reason gets its attempt back. At most once
     * per error type every few seconds: it reads the failed tasks of that type.
     */
    giveBackLookalikes(type: TaskErrorType, retryAfterMs: number, changes: Changes): void {
      const processor = options.processor()
      const at = now()
      if ((lastGiveBack.get(type) ?? -Infinity) > at - GIVE_BACK_EVERY_MS || !processor) return
      lastGiveBack.set(type, at)
      const retryAt = at + Math.max(retryAfterMs, options.minRetryMs)
      for (const row of store.failedSince(type, at - options.windowMs(), GIVE_BACK_MAX)) {
        try {
          processor.plan(forProcessing(row))
        } catch (error) {
          if (isBackendFailure(error) && error.type === type)
            store.giveBack(row.id, `attempt given back: ${error.message}`, retryAt, changes)
        }
      }
    }
  }
}

export type BackendBlame = ReturnType<typeof createBackendBlame>
