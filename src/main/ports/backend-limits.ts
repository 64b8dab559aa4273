/** How many tasks one backend (a model node) may run at once; the scheduler never exceeds either number. */
export interface BackendLimit {
  /** Tasks on a heavy model. */
  readonly heavy: number
  /** Tasks of any size; null when only the pool's size bounds it. */
  readonly total: number | null
}

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
