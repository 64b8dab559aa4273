export interface RetryPolicy {
  readonly delaySec: number
  /** Multiplier per further attempt; 1 keeps the delay constant. */
  readonly backoff: number
  /** Spread as a fraction of the delay, 0…1. */
  readonly jitter: number
}

/** When attempt `attempt` (1-based, the one that just failed) may be retried, ms from now. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = policy.delaySec * 1000 * policy.backoff ** Math.max(0, attempt - 1)
  const spread = base * policy.jitter
  return Math.max(0, Math.round(base - spread + 2 * spread * random()))
}
