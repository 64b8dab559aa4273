import type { ConfigService } from '../config/config-service'

/** What a soak measured, as the gates read it. Shares are 0…1; null when nothing was there to measure. */
export interface SoakKpis {
  readonly p95LatencyMs: number | null
  readonly errorShare: number | null
  readonly fallbackShare: number | null
  readonly reviewShare: number | null
  readonly peakMemoryMb: number
  readonly restarts: number
}

export type GateStatus = 'pass' | 'warn' | 'fail'
export type SoakVerdict = GateStatus

export interface GateLimits {
  readonly p95LatencyMs: { readonly hard: number; readonly soft: number }
  readonly errorShare: { readonly hard: number; readonly soft: number }
  readonly fallbackShare: { readonly hard: number; readonly soft: number }
  readonly reviewShare: { readonly hard: number; readonly soft: number }
  readonly peakMemoryMb: { readonly hard: number; readonly soft: number }
  readonly restarts: { readonly hard: number; readonly soft: number }
}

export interface GateResult {
  readonly kpi: keyof SoakKpis
  readonly value: number | null
  readonly hard: number
  readonly soft: number
  readonly status: GateStatus
  readonly note: string
}

export function gateLimitsFrom(config: Pick<ConfigService, 'get'>): GateLimits {
  const pct = (n: number): number => n / 100
  return {
    p95LatencyMs: {
      hard: config.get('soak.p95LatencyHardSec') * 1000,
      soft: config.get('soak.p95LatencySoftSec') * 1000
    },
    errorShare: { hard: pct(config.get('soak.errorHardPercent')), soft: pct(config.get('soak.errorSoftPercent')) },
    fallbackShare: {
      hard: pct(config.get('soak.fallbackHardPercent')),
      soft: pct(config.get('soak.fallbackSoftPercent'))
    },
    reviewShare: { hard: pct(config.get('soak.reviewHardPercent')), soft: pct(config.get('soak.reviewSoftPercent')) },
    peakMemoryMb: { hard: config.get('soak.memoryHardMb'), soft: config.get('soak.memorySoftMb') },
    restarts: { hard: config.get('soak.restartsHard'), soft: config.get('soak.restartsSoft') }
  }
}

const ORDER: readonly (keyof SoakKpis)[] = [
  'p95LatencyMs',
  'errorShare',
  'fallbackShare',
  'reviewShare',
  'peakMemoryMb',
  'restarts'
]

/**
 * Each KPI against its limits: over the hard limit fails, over the soft one
 * warns. A soak in which no task completed has no latency to judge and fails:
 * a gate that passes on no evidence would let a dead backend through.
 */
export function evaluateGates(
  kpis: SoakKpis,
  limits: GateLimits
): { readonly gates: GateResult[]; readonly verdict: SoakVerdict } {
  const gates = ORDER.map((kpi): GateResult => {
    const value = kpis[kpi]
    const { hard, soft } = limits[kpi]
    if (value === null) {
      const status: GateStatus = kpi === 'p95LatencyMs' ? 'fail' : 'pass'
      return {
        kpi,
        value,
        hard,
        soft,
        status,
        note: kpi === 'p95LatencyMs' ? 'no task completed' : 'nothing to measure'
      }
    }
    const status: GateStatus = value > hard ? 'fail' : value > soft ? 'warn' : 'pass'
    return {
      kpi,
      value,
      hard,
      soft,
      status,
      note: status === 'fail' ? 'over the hard limit' : status === 'warn' ? 'over the soft limit' : 'within limits'
    }
  })
  const verdict: SoakVerdict = gates.some((g) => g.status === 'fail')
    ? 'fail'
    : gates.some((g) => g.status === 'warn')
      ? 'warn'
      : 'pass'
  return { gates, verdict }
}

/** The exit code of `kos soak`: 0 pass, 2 only soft limits broken, 1 a hard limit broken. */
export function exitCodeOf(verdict: SoakVerdict): number {
  return verdict === 'pass' ? 0 : verdict === 'warn' ? 2 : 1
}
