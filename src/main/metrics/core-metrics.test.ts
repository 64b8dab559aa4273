import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import parse from 'parse-prometheus-text-format'
import { describe, expect, it } from 'vitest'
import { histogramSeries, lintPrometheusText } from '../test-support/prometheus-lint'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'
import { startFakeOllama } from '../models/testing/fake-ollama-server'
import { createCoreMetrics } from './core-metrics'

const tempDir = useTempDirs()
const READ = { scopes: new Set(['read'] as const), transport: 'http' as const }
const metricsOf = (core: ReturnType<typeof startTestCore>, legacyNames: boolean) =>
  createCoreMetrics(core.client(READ), '9.9.9', { legacyNames: () => legacyNames })

/** A core with finished tasks of known durations (ms) on two backends. */
function coreWithDurations(durationsMs: readonly [string, number][]) {
  const core = startTestCore(tempDir())
  const now = Date.now()
  durationsMs.forEach(([backend, ms], i) =>
    core.db
      .prepare(
        `INSERT INTO tasks (id, title, description, priority, priority_rank, status, attempt_count, backend, model, latency_ms, dedup_key, created_at, updated_at, completed_at)
         VALUES (?, 'Timed', 'a task with a known duration', 'normal', 1, 'completed', 1, ?, 'llama3.2:3b', ?, ?, ?, ?, ?)`
      )
      .run(`t${i}`, backend, ms, `t${i}`, now - ms, now, now)
  )
  return core
}

describe('/metrics as Prometheus users expect', () => {
  it('passes the promtool lint rules with the legacy names off: counters as counters, seconds, a histogram of task durations', async () => {
    const core = coreWithDurations([
      ['ollama-local', 80],
      ['ollama-local', 400],
      ['ollama-local', 7_000],
      ['mlx-local', 45_000]
    ])
    try {
      const text = await metricsOf(core, false).render()
      expect(lintPrometheusText(text)).toEqual([])
      const families = new Map(parse(text).map((f) => [f.name, f]))
      for (const name of [
        'chat_expert_answer_total',
        'chat_fallback_total',
        'kos_tasks_deferred_to_human_total',
        'kos_scrape_errors_total'
      ])
        expect(families.get(name)?.type, name).toBe('COUNTER')
      expect(families.get('kos_tasks_deferred_by_error_type_total')?.type).toBe('COUNTER')
      expect(families.has('kos_task_latency_ms')).toBe(false)
      expect(families.get('kos_task_duration_seconds')?.type).toBe('HISTOGRAM')
      const series = histogramSeries(text, 'kos_task_duration_seconds')
      const ollama = series.find((s) => s.labels.backend === 'ollama-local')
      expect(ollama).toMatchObject({ labels: { backend: 'ollama-local', model: 'llama3.2:3b' }, count: 3, sum: 7.48 })
      expect(Object.fromEntries(ollama?.buckets ?? [])).toMatchObject({
        '0.1': 1,
        '0.25': 1,
        '0.5': 2,
        '5': 2,
        '10': 3,
        '+Inf': 3
      })
      expect(Object.fromEntries(series.find((s) => s.labels.backend === 'mlx-local')?.buckets ?? [])).toMatchObject({
        '30': 0,
        '60': 1,
        '+Inf': 1
      })

      // The Grafana dashboard in docs/ is built only on names this scrape serves.
      const served = new Set(
        [...families.keys()].flatMap((n) =>
          families.get(n)?.type === 'HISTOGRAM' ? [`${n}_bucket`, `${n}_sum`, `${n}_count`] : [n]
        )
      )
      const dashboard = JSON.parse(
        readFileSync(join(__dirname, '..', '..', '..', 'docs', 'grafana-dashboard.json'), 'utf8')
      ) as { panels: { targets: { expr: string }[] }[] }
      const used = new Set(
        dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\b(?:kos|chat)_[a-z_]+\b/g) ?? []))
      )
      expect(used.size).toBeGreaterThan(8)
      expect([...used].filter((n) => !served.has(n))).toEqual([])
    } finally {
      await core.close()
    }
  })

  it('serves time to first token and request duration per node as histograms after a real model request', async () => {
    const ollama = await startFakeOllama({
      loaded: ['llama3.2:3b'],
      rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'The check is written.' } }]
    })
    const core = startTestCore(tempDir(), { env: { KOS_OLLAMA_API_URL: ollama.url } })
    try {
      const created = await core.dispatcher.call(
        'tasks.create',
        { title: 'Write a deploy check', description: 'Write a deploy check for the blog.' },
        { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }
      )
      if (!created.ok) throw new Error(created.error.message)
      const metrics = metricsOf(core, false)
      await expect
        .poll(async () => histogramSeries(await metrics.render(), 'kos_model_request_duration_seconds').length, {
          timeout: 20_000
        })
        .toBe(1)
      const text = await metrics.render()
      expect(lintPrometheusText(text)).toEqual([])
      const families = new Map(parse(text).map((f) => [f.name, f]))
      for (const name of ['kos_model_first_token_seconds', 'kos_model_request_duration_seconds']) {
        expect(text).toContain(`# TYPE ${name} histogram`)
        expect(families.get(name)?.type, name).toBe('HISTOGRAM')
        const [series] = histogramSeries(text, name)
        // The task's answer, and any check of it the validator asked the same model for.
        expect(series?.labels).toEqual({ node: 'ollama-local', model: 'llama3.2:3b' })
        expect(series?.count).toBeGreaterThanOrEqual(1)
        expect(series?.buckets.get('+Inf')).toBe(series?.count)
        expect(series?.sum).toBeGreaterThan(0)
        expect(text).toMatch(
          new RegExp(`^${name}_bucket\\{node="ollama-local",model="llama3.2:3b",le="1"\\} \\d+$`, 'm')
        )
      }
      // The median gauge dashboards read stays.
      expect(families.get('kos_model_time_to_first_token_seconds')?.type).toBe('GAUGE')
    } finally {
      await core.close()
      await ollama.close()
    }
  })

  it("serves the previous release's names too while metrics.legacyNames is on, and the lint flags only those", async () => {
    const core = coreWithDurations([['ollama-local', 250]])
    try {
      const text = await metricsOf(core, true).render()
      const flagged = new Set(lintPrometheusText(text).map((p) => p.split(':')[0]))
      expect([...flagged].sort()).toEqual(
        ['kos_model_node_latency_ms', 'kos_model_ttft_ms', 'kos_task_latency_ms'].filter((n) =>
          text.includes(`# TYPE ${n}`)
        )
      )
      const families = new Map(parse(text).map((f) => [f.name, f]))
      expect(families.get('kos_task_latency_ms')?.metrics.find((m) => m.labels?.quantile === '0.5')?.value).toBe('250')
      expect(families.get('kos_tasks_deferred_by_error_type')?.type).toBe('GAUGE')
    } finally {
      await core.close()
    }
  })

  it('the lint itself catches what promtool reports', () => {
    const bad = [
      '# HELP chat_fallback_total Fallbacks.',
      '# TYPE chat_fallback_total gauge',
      'chat_fallback_total 3',
      '# HELP kos_latency_ms Latency.',
      '# TYPE kos_latency_ms gauge',
      'kos_latency_ms 5',
      '# HELP kos_wait_minutes Wait.',
      '# TYPE kos_wait_minutes gauge',
      'kos_wait_minutes 5',
      '# HELP kos_runs Runs.',
      '# TYPE kos_runs counter',
      'kos_runs 5',
      '# HELP kos_wait_seconds D.',
      '# TYPE kos_wait_seconds histogram',
      'kos_wait_seconds_bucket{le="1"} 5',
      'kos_wait_seconds_bucket{le="2"} 4',
      'kos_wait_seconds_bucket{le="+Inf"} 6',
      'kos_wait_seconds_sum 3',
      'kos_wait_seconds_count 7',
      ''
    ].join('\n')
    expect(lintPrometheusText(bad)).toEqual([
      'chat_fallback_total: non-counter metrics should not have "_total" suffix',
      'kos_latency_ms: metric names should not contain abbreviated units ("ms")',
      'kos_wait_minutes: use base unit "seconds" instead of "minutes"',
      'kos_runs: counter metrics should have "_total" suffix',
      'kos_wait_seconds{}: bucket counts are not cumulative',
      'kos_wait_seconds{}: _count 7 differs from the +Inf bucket'
    ])
  })
})
