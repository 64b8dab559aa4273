import { createHash } from 'node:crypto'
import { canonicalJson } from '../platform/canonical-json'
import type { GateResult, SoakKpis, SoakVerdict } from './soak-gates'

export interface SoakProfile {
  readonly minutes: number
  readonly ratePerMinute: number
}

export interface SoakCounts {
  readonly submitted: number
  readonly completed: number
  readonly manualReview: number
  readonly unfinished: number
  readonly attempts: number
  readonly failedAttempts: number
  readonly withFallback: number
}

export interface SoakReport {
  readonly kind: 'kos-soak-report'
  readonly version: 1
  readonly profile: SoakProfile
  readonly nodes: readonly string[]
  readonly counts: SoakCounts
  readonly kpis: SoakKpis
  readonly gates: readonly GateResult[]
  readonly verdict: SoakVerdict
}

/** Rounds what was measured so the report carries the figures, not float noise: ms and MiB whole, shares to 4 places. */
export function roundKpis(kpis: SoakKpis): SoakKpis {
  const share = (v: number | null): number | null => (v === null ? null : Math.round(v * 10_000) / 10_000)
  return {
    p95LatencyMs: kpis.p95LatencyMs === null ? null : Math.round(kpis.p95LatencyMs),
    errorShare: share(kpis.errorShare),
    fallbackShare: share(kpis.fallbackShare),
    reviewShare: share(kpis.reviewShare),
    peakMemoryMb: Math.round(kpis.peakMemoryMb),
    restarts: kpis.restarts
  }
}

/**
 * The report as canonical JSON (the checklist's scheme: sorted keys, no
 * whitespace) and its SHA-256. It holds no clock time, path or random id, so
 * the same measurements always give the same bytes and the same hash.
 */
export function soakReportJson(report: SoakReport): { readonly json: string; readonly sha256: string } {
  const json = canonicalJson(report)
  return { json, sha256: createHash('sha256').update(json, 'utf8').digest('hex') }
}
