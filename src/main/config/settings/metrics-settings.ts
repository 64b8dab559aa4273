import { flagOf, type SettingDefinition } from '../setting-builders'

/** How /metrics names things. */
export const METRICS_SETTINGS = {
  'metrics.legacyNames': flagOf(true, {
    category: 'Headless host',
    label: 'Old metric names too',
    description:
      "Also serve the previous release's metric names (kos_task_latency_ms, kos_model_ttft_ms, kos_model_node_latency_ms, kos_tasks_deferred_by_error_type) for one release; off gives a scrape promtool finds clean. See docs/metrics.md.",
    env: ['KOS_METRICS_LEGACY_NAMES'],
    applies: 'live',
    inProfiles: false
  })
} satisfies Record<string, SettingDefinition>
