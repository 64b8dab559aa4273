import { READ_ONLY_WORK_SHARE, WORK_STARTING_CALLS } from '../../../shared/contract/limits'
import { rpcError, type RpcError } from '../../../shared/contract/rpc-error'
import type { Principal } from './access'
import type { LoadMonitor } from './load-monitor'
import { createTokenBucket, type BucketSpec, type TokenBucket } from './token-bucket'

export interface GateSettings {
  readonly fullPerSecond: number
  readonly readOnlyPerSecond: number
  readonly workPerMinute: number
  /** 0: never shed for lag. */
  readonly maxEventLoopLagMs: number
  readonly maxPendingCalls: number
}

export const DEFAULT_GATE_SETTINGS: GateSettings = {
  fullPerSecond: 50,
  readOnlyPerSecond: 10,
  workPerMinute: 12,
  maxEventLoopLagMs: 1000,
  maxPendingCalls: 256
}

export type Admission = { readonly ok: true; release(): void } | { readonly ok: false; readonly error: RpcError }

/**
 * What every call over HTTP or WebSocket passes before the dispatcher sees it:
 * the caller's rate limit, a stricter one for calls that start work, and load
 * shedding, so an overloaded core answers "later" at once instead of queueing.
 */
export interface CallGate {
  admit(principal: Principal, name: string): Admission
  readonly pending: () => number
}

const SHED_RETRY_MS = 1000

export function createCallGate(
  settings: GateSettings,
  load: Pick<LoadMonitor, 'lagMs'>,
  now: () => number = Date.now
): CallGate {
  const buckets = (calls: BucketSpec, work: BucketSpec): { calls: TokenBucket; work: TokenBucket } => ({
    calls: createTokenBucket(calls, now),
    work: createTokenBucket(work, now)
  })
  const perPrincipal: Record<Principal, { calls: TokenBucket; work: TokenBucket }> = {
    full: buckets(
      { perSecond: settings.fullPerSecond, burst: settings.fullPerSecond * 4 },
      { perSecond: settings.workPerMinute / 60, burst: Math.max(3, settings.workPerMinute / 4) }
    ),
    readOnly: buckets(
      { perSecond: settings.readOnlyPerSecond, burst: settings.readOnlyPerSecond * 4 },
      {
        perSecond: (settings.workPerMinute * READ_ONLY_WORK_SHARE) / 60,
        burst: Math.max(1, (settings.workPerMinute * READ_ONLY_WORK_SHARE) / 4)
      }
    )
  }
  let pending = 0

  const limited = (principal: Principal, retryAfterMs: number, what: string): Admission => ({
    ok: false,
    error: rpcError(
      'rate_limited',
      `Too many ${what} from the ${principal === 'full' ? 'full-access' : 'read-only'} token: try again in ${Math.ceil(retryAfterMs / 1000)} s. The limits are the host.rateLimit settings.`,
      { retryAfterMs }
    )
  })

  return {
    admit(principal, name) {
      const lag = load.lagMs()
      if (pending >= settings.maxPendingCalls || (settings.maxEventLoopLagMs > 0 && lag > settings.maxEventLoopLagMs)) {
        const why =
          pending >= settings.maxPendingCalls
            ? `${pending} calls are already running`
            : `it is running ${Math.round(lag)} ms behind`
        return {
          ok: false,
          error: rpcError(
            'unavailable',
            `The app is overloaded (${why}) and did not start this call: try again in ${SHED_RETRY_MS / 1000} s.`,
            {
              call: name.slice(0, 128),
              retryAfterMs: SHED_RETRY_MS
            }
          )
        }
      }
      const bucket = perPrincipal[principal]
      const wait = bucket.calls.take()
      if (wait !== null) return limited(principal, wait, 'calls')
      if (WORK_STARTING_CALLS.has(name)) {
        const workWait = bucket.work.take()
        if (workWait !== null) return limited(principal, workWait, `calls that start work (${name})`)
      }
      pending++
      let released = false
      return {
        ok: true,
        release() {
          if (released) return
          released = true
          pending--
        }
      }
    },
    pending: () => pending
  }
}
