import type { BackendLimit } from '../../shared/backend-limits'

export type { BackendLimit } from '../../shared/backend-limits'

/**
 * The per-node limits, read by the task engine without knowing about model
 * servers. They count model calls in flight, not tasks: a batch of small
 * tasks answered by one call takes one slot. The scheduler caps each backend by `of`, and the adaptive
 * controller never sizes the pool above `capacity` (what the reachable nodes
 * can take together; null when one of them is unbounded or none is known).
 */
export interface BackendLimits {
  of(backend: string): BackendLimit
  capacity(): number | null
  /** Tasks one model call may answer (batching on: its batch size, else 1): the pool reads enough candidates to fill a call. */
  tasksPerCall?(): number
}
