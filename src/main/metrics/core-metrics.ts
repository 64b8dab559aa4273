import { Counter, Gauge, Registry } from 'prom-client'
import type { KosClient } from '../../shared/contract/client'
import type { CallInput, CallName, CallOutput } from '../../shared/contract/contract'
import type { ModelLatency, NodeHistogram, TaskDurations } from '../../shared/contract/metrics-contract'

export interface CoreMetrics {
  readonly contentType: string
  /** Reads the core through the contract and renders the Prometheus text format. */
  render(): Promise<string>
}

/**
 * Prometheus metrics of the running app, read at scrape time through the same
 * read-only contract calls the UI makes, so a metric can never disagree with
 * what the app shows. A part that cannot be read is left out of that scrape
 * and counted in kos_scrape_errors_total.
 */
export interface MetricsOptions {
  /**
   * Whether the names of the previous release are served too (`metrics.legacyNames`): gauges of
   * percentiles in milliseconds that promtool flags. Kept one release so dashboards can move.
   */
  readonly legacyNames?: () => boolean
}

export function createCoreMetrics(client: KosClient, version: string, options: MetricsOptions = {}): CoreMetrics {
  const registry = new Registry()
  const legacy = new Registry()
  const gauge = (name: string, help: string, labelNames: string[] = [], registers = [registry]) =>
    new Gauge({ name, help, labelNames, registers })
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] })
  const scrapeErrors = counter('kos_scrape_errors_total', 'Parts of the app that could not be read during a scrape.', [
    'call'
  ])

  gauge('kos_info', 'Build of the running app.', ['version']).set({ version }, 1)
  const health = gauge('kos_health', 'Aggregate health: 1 for the current level.', ['level'])
  const healthComponent = gauge('kos_health_component', 'Health of each part: 0 ok, 1 degraded, 2 down.', ['component'])
  const tasks = gauge('kos_tasks', 'Tasks by status.', ['status'])
  // Totals kept in the database: counters whose value is read, not incremented here.
  const deferredTotal = counter(
    'kos_tasks_deferred_to_human_total',
    'Times a task was sent to manual review, including ones returned since.'
  )
  const deferredByType = counter(
    'kos_tasks_deferred_by_error_type_total',
    'Manual-review sends by the error type of the last attempt.',
    ['error_type']
  )
  const completions = gauge('kos_tasks_completions_per_minute', 'Tasks completed per minute, recent average.')
  const concurrency = gauge('kos_worker_concurrency', 'Adaptive concurrency: effective value and its bounds.', ['kind'])
  const running = gauge('kos_worker_running_tasks', 'Tasks being processed now.')
  const nodeUp = gauge('kos_model_node_up', 'Model server reachable (1) or not (0).', ['node', 'kind'])
  const nodeLatency = gauge('kos_model_node_scan_duration_seconds', 'How long the last scan of a model server took.', [
    'node'
  ])
  const ttft = gauge('kos_model_time_to_first_token_seconds', 'Median time to first token per node and model.', [
    'node',
    'model'
  ])
  const tps = gauge('kos_model_tokens_per_second', 'Median generation speed per node and model.', ['node', 'model'])
  const kbNodes = gauge('kos_knowledge_nodes', 'Documents in the knowledge base.')
  const kbChunks = gauge('kos_knowledge_chunks', 'Chunks in the knowledge base.')
  const kbEmbedded = gauge(
    'kos_knowledge_embedded_ratio',
    'Share of chunks with a vector in the active collection, 0…1.'
  )
  const kbBytes = gauge('kos_knowledge_bytes', 'Size of the knowledge base on disk.')
  const chatExpert = counter('chat_expert_answer_total', 'Chat answers given by an expert.')
  const chatFallback = counter('chat_fallback_total', 'Chat answers that needed a fallback model.')
  const chatRatio = gauge('chat_fallback_ratio', 'Fallbacks over all answers of the last 24 h.')
  const checks = gauge('kos_checklist_checks', 'Checks of the newest checklist run by status.', ['status'])
  const healthy = gauge('kos_checklist_healthy', 'Newest checklist verdict: 1 healthy, 0.5 warnings, 0 unhealthy.')
  // The previous release's names (docs/metrics.md): served while metrics.legacyNames is on.
  const legacyDeferredByType = gauge(
    'kos_tasks_deferred_by_error_type',
    'Deprecated alias of kos_tasks_deferred_by_error_type_total.',
    ['error_type'],
    [legacy]
  )
  const legacyLatency = gauge(
    'kos_task_latency_ms',
    'Deprecated: use the histogram kos_task_duration_seconds.',
    ['backend', 'model', 'quantile'],
    [legacy]
  )
  const legacyNodeLatency = gauge(
    'kos_model_node_latency_ms',
    'Deprecated alias of kos_model_node_scan_duration_seconds, in ms.',
    ['node'],
    [legacy]
  )
  const legacyTtft = gauge(
    'kos_model_ttft_ms',
    'Deprecated alias of kos_model_time_to_first_token_seconds, in ms.',
    ['node', 'model'],
    [legacy]
  )
  const counterTo = (metric: Counter, value: number, labels: Record<string, string> = {}): void =>
    metric.inc(labels, Math.max(0, value))

  const fetch = async <N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N> | null> => {
    const result = await client.call(name, input)
    if (result.ok) return result.value
    scrapeErrors.inc({ call: name })
    return null
  }

  let histogram: TaskDurations | null = null
  let latency: ModelLatency | null = null
  const refresh = async (): Promise<void> => {
    const [h, counters, engine, models, kb, usage, latest, durations, requests] = await Promise.all([
      fetch('health.get', {}),
      fetch('tasks.counters', {}),
      fetch('tasks.engine', {}),
      fetch('models.list', {}),
      fetch('knowledge.stats', {}),
      fetch('chat.usage', { days: 1 }),
      fetch('checklist.latest', {}),
      fetch('metrics.taskDurations', {}),
      fetch('metrics.modelLatency', {})
    ])
    for (const metric of [
      health,
      healthComponent,
      tasks,
      deferredTotal,
      deferredByType,
      nodeUp,
      nodeLatency,
      ttft,
      tps,
      checks,
      chatExpert,
      chatFallback
    ])
      metric.reset()
    for (const metric of [legacyDeferredByType, legacyLatency, legacyNodeLatency, legacyTtft]) metric.reset()
    histogram = durations
    latency = requests
    if (h) {
      for (const level of ['ok', 'degraded', 'down'] as const) health.set({ level }, h.level === level ? 1 : 0)
      for (const c of h.components)
        healthComponent.set({ component: c.component }, c.level === 'ok' ? 0 : c.level === 'degraded' ? 1 : 2)
    }
    if (counters) {
      for (const [status, n] of Object.entries(counters.byStatus)) tasks.set({ status }, n ?? 0)
      counterTo(deferredTotal, counters.deferredToHumanTotal)
      for (const [type, n] of Object.entries(counters.deferredByErrorType)) {
        counterTo(deferredByType, n ?? 0, { error_type: type })
        legacyDeferredByType.set({ error_type: type }, n ?? 0)
      }
      completions.set(counters.completionsPerMinute)
      for (const l of counters.latency) {
        legacyLatency.set({ backend: l.backend, model: l.model, quantile: '0.5' }, l.p50Ms)
        legacyLatency.set({ backend: l.backend, model: l.model, quantile: '0.9' }, l.p90Ms)
        legacyLatency.set({ backend: l.backend, model: l.model, quantile: '0.99' }, l.p99Ms)
      }
    }
    if (engine) {
      running.set(engine.running)
      concurrency.set({ kind: 'effective' }, engine.concurrency.effective)
      concurrency.set({ kind: 'floor' }, engine.concurrency.floor)
      concurrency.set({ kind: 'ceiling' }, engine.concurrency.ceiling)
    }
    if (models) {
      for (const n of models.nodes) {
        nodeUp.set({ node: n.id, kind: n.kind }, n.state === 'up' ? 1 : 0)
        if (n.latencyMs !== null) {
          nodeLatency.set({ node: n.id }, n.latencyMs / 1000)
          legacyNodeLatency.set({ node: n.id }, n.latencyMs)
        }
      }
      for (const s of models.speeds) {
        if (s.ttftMsMedian !== null) {
          ttft.set({ node: s.node, model: s.model }, s.ttftMsMedian / 1000)
          legacyTtft.set({ node: s.node, model: s.model }, s.ttftMsMedian)
        }
        if (s.tokensPerSecMedian !== null) tps.set({ node: s.node, model: s.model }, s.tokensPerSecMedian)
      }
    }
    if (kb) {
      kbNodes.set(kb.nodes)
      kbChunks.set(kb.chunks)
      kbEmbedded.set(kb.embeddedPercent / 100)
      kbBytes.set(kb.bytesOnDisk)
    }
    if (usage) {
      counterTo(chatExpert, usage.counters.expertAnswers)
      counterTo(chatFallback, usage.counters.fallbacks)
      if (usage.counters.fallbackRatio24h !== null) chatRatio.set(usage.counters.fallbackRatio24h)
    }
    if (latest) {
      for (const status of ['pass', 'warn', 'fail', 'error'] as const)
        checks.set({ status }, latest.results.filter((r) => r.status === status).length)
      healthy.set(latest.verdict === 'healthy' ? 1 : latest.verdict === 'warnings' ? 0.5 : 0)
    }
  }

  return {
    contentType: registry.contentType,
    async render() {
      await refresh()
      const parts = [
        await registry.metrics(),
        histogramText('kos_task_duration_seconds', 'How long completed tasks took, per backend and model.', histogram),
        nodeHistogramText(
          'kos_model_first_token_seconds',
          'Time to first token of answered model requests since start, per node and model.',
          latency?.firstToken ?? null
        ),
        nodeHistogramText(
          'kos_model_request_duration_seconds',
          'Duration of answered model requests since start, per node and model.',
          latency?.request ?? null
        )
      ]
      if (options.legacyNames?.() ?? true) parts.push(await legacy.metrics())
      return parts.filter((p) => p !== '').join('')
    }
  }
}

/**
 * A histogram in the text format from cumulative buckets counted elsewhere (in SQL, or per request):
 * prom-client's Histogram needs every label set's observations one by one.
 */
function bucketLines(
  name: string,
  help: string,
  bounds: readonly number[],
  series: readonly { labels: string; cumulative: readonly number[]; count: number; sumSeconds: number }[]
): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`]
  for (const s of series) {
    bounds.forEach((le, i) => lines.push(`${name}_bucket{${s.labels},le="${le}"} ${s.cumulative[i] ?? 0}`))
    lines.push(
      `${name}_bucket{${s.labels},le="+Inf"} ${s.count}`,
      `${name}_sum{${s.labels}} ${s.sumSeconds}`,
      `${name}_count{${s.labels}} ${s.count}`
    )
  }
  return `${lines.join('\n')}\n`
}

export function histogramText(name: string, help: string, data: TaskDurations | null): string {
  const series = (data?.series ?? []).map((s) => ({
    ...s,
    labels: `backend="${escapeLabel(s.backend)}",model="${escapeLabel(s.model)}"`
  }))
  return bucketLines(name, help, data?.buckets ?? [], series)
}

function nodeHistogramText(name: string, help: string, data: NodeHistogram | null): string {
  const series = (data?.series ?? []).map((s) => ({
    ...s,
    labels: `node="${escapeLabel(s.node)}",model="${escapeLabel(s.model)}"`
  }))
  return bucketLines(name, help, data?.buckets ?? [], series)
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
