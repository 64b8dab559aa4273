import type { HealthContributor, HealthReport } from '../ports/health-contributor'
import type { ChatUsageReader } from './chat-usage'

/**
 * The chat is degraded when too many answers over the last 24 h had to fall
 * back from the model first chosen: experts are then answering through
 * whatever model was left, not the one meant for them.
 */
export function chatFallbackHealth(
  usage: Pick<ChatUsageReader, 'counters'>,
  threshold: () => number
): HealthContributor {
  return {
    component: 'chat',
    report(): HealthReport {
      const { fallbackRatio24h, fallbacks } = usage.counters()
      const limit = threshold()
      if (fallbackRatio24h === null || fallbackRatio24h <= limit) return { component: 'chat', level: 'ok', reasons: [] }
      return {
        component: 'chat',
        level: 'degraded',
        reasons: [
          `${Math.round(fallbackRatio24h * 100)}% of chat answers in the last 24 h fell back to another model (limit ${Math.round(limit * 100)}%, ${fallbacks} fallbacks in all). Check the Models view for a node that keeps failing or a preferred model that is missing.`
        ]
      }
    }
  }
}
