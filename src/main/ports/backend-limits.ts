import type { BackendLimit } from '../../shared/backend-limits'

export type { BackendLimit } from '../../shared/backend-limits'

/**
 * The per-node limits, read by the task engine without knowing about model
 * servers: the scheduler caps each backend by `of`, and the adaptive
 * controller never sizes the pool above `capacity` (what the reachable nodes
 * can take together; null when one of them is unbounded or none is known).
 */
export interface BackendLimits {
  of(backend: string): BackendLimit
  capacity(): number | null
}
