import { integer, type SettingDefinition } from '../setting-builders'

/**
 * The release gate of `kos soak`: each KPI has a hard limit (over it the soak
 * fails) and a soft one (over it the soak warns). Shares are percentages of
 * the synthetic tasks; the fallback limit is the operators' 30% alert level.
 */
export const SOAK_SETTINGS = {
  'soak.p95LatencyHardSec': integer(
    1,
    3600,
    's',
    300,
    gate(
      'Latency limit (p95)',
      'The soak fails when the 95th percentile of task latency (queued to completed) is over this; it is the LLM timeout by default.'
    )
  ),
  'soak.p95LatencySoftSec': integer(
    1,
    3600,
    's',
    120,
    gate('Latency warning (p95)', 'The soak warns when the 95th percentile of task latency is over this.')
  ),
  'soak.errorHardPercent': integer(
    0,
    100,
    '%',
    10,
    gate('Failed attempts limit', 'The soak fails when more of its task attempts than this failed.')
  ),
  'soak.errorSoftPercent': integer(
    0,
    100,
    '%',
    2,
    gate('Failed attempts warning', 'The soak warns when more of its task attempts than this failed.')
  ),
  'soak.fallbackHardPercent': integer(
    0,
    100,
    '%',
    30,
    gate('Fallbacks limit', 'The soak fails when more of its completed tasks than this needed a fallback model.')
  ),
  'soak.fallbackSoftPercent': integer(
    0,
    100,
    '%',
    10,
    gate('Fallbacks warning', 'The soak warns when more of its completed tasks than this needed a fallback model.')
  ),
  'soak.reviewHardPercent': integer(
    0,
    100,
    '%',
    5,
    gate(
      'Manual review limit',
      'The soak fails when more of its tasks than this ended in manual review or did not finish.'
    )
  ),
  'soak.reviewSoftPercent': integer(
    0,
    100,
    '%',
    0,
    gate(
      'Manual review warning',
      'The soak warns when more of its tasks than this ended in manual review or did not finish.'
    )
  ),
  'soak.memoryHardMb': integer(
    64,
    65_536,
    'MiB',
    2048,
    gate('Memory growth limit', 'The soak fails when the app’s resident memory peaks over this.')
  ),
  'soak.memorySoftMb': integer(
    64,
    65_536,
    'MiB',
    1024,
    gate('Memory growth warning', 'The soak warns when the app’s resident memory peaks over this.')
  ),
  'soak.restartsHard': integer(
    0,
    100,
    'restarts',
    2,
    gate(
      'Server restarts limit',
      'The soak fails when the supervised model servers restart more often than this during it.'
    )
  ),
  'soak.restartsSoft': integer(
    0,
    100,
    'restarts',
    0,
    gate(
      'Server restarts warning',
      'The soak warns when a supervised model server restarts more often than this during it.'
    )
  )
} satisfies Record<string, SettingDefinition>

function gate(label: string, description: string) {
  return { category: 'Soak gate', label, description, env: [], applies: 'live' as const }
}
