import { flagOf, integer, type SettingDefinition } from '../setting-builders'

/**
 * What the app does on its own to keep the corporation working. Defaults are
 * the operators' field values: 5 tasks running without an update for 15 min,
 * or 30 pending for over an hour, mean the queue is in trouble.
 */
export const AUTOPILOT_SETTINGS = {
  'autopilot.stalledRunningCount': integer(1, 10_000, 'tasks', 5, {
    category: 'Autopilot',
    label: 'Stalled tasks before acting',
    description:
      'The predictive monitor files an SRE task when at least this many running tasks have had no update for autopilot.stalledRunningMinutes.',
    env: ['KOS_AUTOPILOT_STALLED_RUNNING_COUNT'],
    applies: 'live'
  }),
  'autopilot.stalledRunningMinutes': integer(1, 1440, 'min', 15, {
    category: 'Autopilot',
    label: 'A running task stalls after',
    description:
      'How long a running task may go without a heartbeat or progress before the predictive monitor counts it as stalled.',
    env: ['KOS_AUTOPILOT_STALLED_RUNNING_MINUTES'],
    applies: 'live'
  }),
  'autopilot.oldPendingCount': integer(1, 1_000_000, 'tasks', 30, {
    category: 'Autopilot',
    label: 'Old pending tasks before acting',
    description:
      'The predictive monitor files an SRE task when at least this many tasks have waited as pending for longer than autopilot.oldPendingMinutes.',
    env: ['KOS_AUTOPILOT_OLD_PENDING_COUNT'],
    applies: 'live'
  }),
  'autopilot.oldPendingMinutes': integer(1, 10_080, 'min', 60, {
    category: 'Autopilot',
    label: 'A pending task is old after',
    description: 'How long a task may wait as pending before the predictive monitor counts it as old.',
    env: ['KOS_AUTOPILOT_OLD_PENDING_MINUTES'],
    applies: 'live'
  }),
  'autopilot.learningEnabled': flagOf(true, {
    category: 'Autopilot',
    label: 'Learn from unanswered searches',
    description:
      'Propose research tasks for each expert from the gaps the app sees (chat answers without a knowledge source, answers rejected by validation, domains with no documents), never while no model server is up.',
    env: ['KOS_AUTOPILOT_LEARNING_ENABLED'],
    applies: 'live'
  }),
  'autopilot.learningPerExpertPerDay': integer(1, 50, 'tasks', 2, {
    category: 'Autopilot',
    label: 'Learning tasks per expert a day',
    description:
      'At most this many research tasks for one expert in any 24 hours; the same task for the same expert is not filed again within 30 days.',
    env: ['KOS_AUTOPILOT_LEARNING_PER_EXPERT_PER_DAY'],
    applies: 'live'
  }),
  'autopilot.learningIntervalMin': integer(5, 1440, 'min', 60, {
    category: 'Autopilot',
    label: 'Look for gaps every',
    description: 'How often the learning-task generator looks for gaps.',
    env: ['KOS_AUTOPILOT_LEARNING_INTERVAL_MIN'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
