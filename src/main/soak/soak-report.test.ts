import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { testConfig } from '../tasks/testing/test-config'
import { evaluateGates, exitCodeOf, gateLimitsFrom, type SoakKpis } from './soak-gates'
import { roundKpis, soakReportJson, type SoakReport } from './soak-report'
import { p95 } from './soak-run'

const KPIS: SoakKpis = {
  p95LatencyMs: 1234.4,
  errorShare: 1 / 30,
  fallbackShare: 0,
  reviewShare: 0,
  peakMemoryMb: 181.7,
  restarts: 0
}

function report(kpis: SoakKpis = KPIS): SoakReport {
  const rounded = roundKpis(kpis)
  const { gates, verdict } = evaluateGates(rounded, gateLimitsFrom(testConfig()))
  return {
    kind: 'kos-soak-report',
    version: 1,
    profile: { minutes: 0.5, ratePerMinute: 60 },
    nodes: ['ollama-local'],
    counts: {
      submitted: 30,
      completed: 30,
      manualReview: 0,
      unfinished: 0,
      attempts: 30,
      failedAttempts: 1,
      withFallback: 0
    },
    kpis: rounded,
    gates,
    verdict
  }
}

describe('soak report', () => {
  it('has the same bytes and SHA-256 for the same measurements, whatever order the fields were built in', () => {
    const a = soakReportJson(report())
    const shuffled = Object.fromEntries(Object.entries(report()).reverse()) as unknown as SoakReport
    const b = soakReportJson(shuffled)
    expect(b).toEqual(a)
    expect(a.json).toBe(
      '{"counts":{"attempts":30,"completed":30,"failedAttempts":1,"manualReview":0,"submitted":30,"unfinished":0,"withFallback":0},' +
        '"gates":[{"hard":300000,"kpi":"p95LatencyMs","note":"within limits","soft":120000,"status":"pass","value":1234},' +
        '{"hard":0.1,"kpi":"errorShare","note":"over the soft limit","soft":0.02,"status":"warn","value":0.0333},' +
        '{"hard":0.3,"kpi":"fallbackShare","note":"within limits","soft":0.1,"status":"pass","value":0},' +
        '{"hard":0.05,"kpi":"reviewShare","note":"within limits","soft":0,"status":"pass","value":0},' +
        '{"hard":2048,"kpi":"peakMemoryMb","note":"within limits","soft":1024,"status":"pass","value":182},' +
        '{"hard":2,"kpi":"restarts","note":"within limits","soft":0,"status":"pass","value":0}],' +
        '"kind":"kos-soak-report",' +
        '"kpis":{"errorShare":0.0333,"fallbackShare":0,"p95LatencyMs":1234,"peakMemoryMb":182,"restarts":0,"reviewShare":0},' +
        '"nodes":["ollama-local"],"profile":{"minutes":0.5,"ratePerMinute":60},"verdict":"warn","version":1}'
    )
    expect(a.sha256).toBe(createHash('sha256').update(a.json).digest('hex'))
  })

  it('changes its hash when any figure changes', () => {
    expect(soakReportJson(report({ ...KPIS, restarts: 1 })).sha256).not.toBe(soakReportJson(report()).sha256)
  })
})

describe('soak gates', () => {
  const limits = gateLimitsFrom(testConfig())
  const clean: SoakKpis = {
    p95LatencyMs: 5000,
    errorShare: 0,
    fallbackShare: 0,
    reviewShare: 0,
    peakMemoryMb: 300,
    restarts: 0
  }

  it('passes within every limit, warns over a soft one, fails over a hard one, with the exit codes 0, 2, 1', () => {
    expect(evaluateGates(clean, limits).verdict).toBe('pass')
    expect(evaluateGates({ ...clean, p95LatencyMs: 150_000 }, limits).verdict).toBe('warn')
    expect(evaluateGates({ ...clean, fallbackShare: 0.31 }, limits).verdict).toBe('fail')
    expect(evaluateGates({ ...clean, peakMemoryMb: 2049 }, limits).verdict).toBe('fail')
    expect(evaluateGates({ ...clean, reviewShare: 0.01 }, limits).verdict).toBe('warn')
    expect([exitCodeOf('pass'), exitCodeOf('warn'), exitCodeOf('fail')]).toEqual([0, 2, 1])
  })

  it('fails a soak in which no task completed rather than passing on no evidence', () => {
    const { gates, verdict } = evaluateGates(
      { ...clean, p95LatencyMs: null, errorShare: null, fallbackShare: null },
      limits
    )
    expect(verdict).toBe('fail')
    expect(gates.find((g) => g.kpi === 'p95LatencyMs')).toMatchObject({ status: 'fail', note: 'no task completed' })
  })

  it('reads its limits from the settings', () => {
    const strict = gateLimitsFrom(testConfig({ 'soak.p95LatencyHardSec': 1 }))
    expect(evaluateGates(clean, strict).verdict).toBe('fail')
  })

  it('takes the 95th percentile as the value 95% of tasks stay at or under', () => {
    expect(p95([])).toBeNull()
    expect(p95(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95)
    expect(p95([7])).toBe(7)
  })
})
