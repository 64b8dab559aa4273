/**
 * A token bucket: `burst` calls at once, refilled at `perSecond`. Returns
 * null when a call may go, or how long until it may.
 */
export interface TokenBucket {
  take(): number | null
}

export interface BucketSpec {
  readonly perSecond: number
  readonly burst: number
}

export function createTokenBucket(spec: BucketSpec, now: () => number): TokenBucket {
  let tokens = spec.burst
  let at = now()
  return {
    take() {
      const t = now()
      tokens = Math.min(spec.burst, tokens + ((t - at) / 1000) * spec.perSecond)
      at = t
      if (tokens >= 1) {
        tokens -= 1
        return null
      }
      return Math.ceil(((1 - tokens) / spec.perSecond) * 1000)
    }
  }
}
