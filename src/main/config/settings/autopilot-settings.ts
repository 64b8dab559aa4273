import { integer, type SettingDefinition } from '../setting-builders'

/**
 * What the app does on its own to keep the corporation working. Defaults are
 * the operators' field values: 5 tasks running without an update for 15 min,
 * or 30 pending for over an hour, mean the queue is in trouble.
 */
export const AUTOPILOT_SETTINGS = {
  'autopilot.stalledRunningCount': integer(1, 10_000, 'tasks', 5, {
    category: 'Autopilot',
    description: 'The predictive monitor files an SRE task when at least this many running tasks have had no update for autopilot.stalledRunningMinutes.',
    env: ['KOS_AUTOPILOT_STALLED_RUNNING_COUNT'],
    applies: 'live'
  }),
  'autopilot.stalledRunningMinutes': integer(1, 1440, 'min', 15, {
    category: 'Autopilot',
    description: 'How long a running task may go without a heartbeat or progress before the predictive monitor counts it as stalled.',
    env: ['KOS_AUTOPILOT_STALLED_RUNNING_MINUTES'],
    applies: 'live'
  }),
  'autopilot.oldPendingCount': integer(1, 1_000_000, 'tasks', 30, {
    category: 'Autopilot',
    description: 'The predictive monitor files an SRE task when at least this many tasks have waited as pending for longer than autopilot.oldPendingMinutes.',
    env: ['KOS_AUTOPILOT_OLD_PENDING_COUNT'],
    applies: 'live'
  }),
  'autopilot.oldPendingMinutes': integer(1, 10_080, 'min', 60, {
    category: 'Autopilot',
    description: 'How long a task may wait as pending before the predictive monitor counts it as old.',
    env: ['KOS_AUTOPILOT_OLD_PENDING_MINUTES'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
