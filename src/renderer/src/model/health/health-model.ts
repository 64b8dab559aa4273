import type { HealthLevel, HealthSnapshot } from '../../../../shared/contract/models-contract'
import { defineViewModel } from '../view-model'

export interface HealthData {
  readonly health: HealthSnapshot | null
}

/** The corporation's aggregate health, as the core reports it, for the status bar. */
export const healthModel = defineViewModel<HealthData, object>({
  initialState: () => ({ health: null }),
  actions: () => ({}),
  events: {
    'health.changed': (health, { set }) => set({ health })
  },
  async reload({ client, set }) {
    const result = await client.call('health.get', {})
    if (result.ok) set({ health: result.value })
  }
})

/** The parts of the app the health monitor names, in words. */
const PARTS: Readonly<Record<string, string>> = {
  models: 'Model servers',
  supervisor: 'Supervisor',
  database: 'Database',
  disk: 'Disk',
  worker: 'Task worker',
  'predictive-monitor': 'Queue',
  knowledge: 'Knowledge base',
  chat: 'Chat'
}

export interface HealthLine {
  readonly level: HealthLevel | 'unknown'
  /** "Not working: Model servers — No model node is reachable." */
  readonly text: string
  /** Every reason, one a line, for the tooltip. */
  readonly detail: string
}

const HEADLINE: Readonly<Record<HealthLevel, string>> = {
  ok: 'Healthy',
  degraded: 'Working, with warnings',
  down: 'Not working'
}

/** The status bar's line for a health snapshot (a new object: derive it in a memo on the snapshot). */
export function healthLine(h: HealthSnapshot | null): HealthLine {
  if (!h) return { level: 'unknown', text: 'Checking health…', detail: '' }
  const troubled = h.components.filter((c) => c.level !== 'ok')
  const worst = troubled.find((c) => c.level === h.level) ?? troubled[0]
  const say = (component: string, reason: string): string => `${PARTS[component] ?? component}: ${reason}`
  const detail = troubled.flatMap((c) => c.reasons.map((r) => say(c.component, r))).join('\n')
  if (!worst) return { level: h.level, text: HEADLINE[h.level], detail: 'Every part of the app reports ok.' }
  const first = worst.reasons[0]
  const more = troubled.reduce((n, c) => n + c.reasons.length, 0) - (first ? 1 : 0)
  const text = `${HEADLINE[h.level]} — ${first ? say(worst.component, first) : (PARTS[worst.component] ?? worst.component)}${more > 0 ? ` (+${more} more)` : ''}`
  return { level: h.level, text, detail }
}

/** Why no model server can answer, when the health monitor says the model servers are down; null otherwise. */
export const selectModelServersDown = (s: HealthData): string | null => {
  const models = s.health?.components.find((c) => c.component === 'models')
  return models?.level === 'down' ? (models.reasons[0] ?? 'no model server is reachable') : null
}
