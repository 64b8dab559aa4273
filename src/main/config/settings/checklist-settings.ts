import { integer, type SettingDefinition } from '../setting-builders'

/** The verification checklist. */
export const CHECKLIST_SETTINGS = {
  'checklist.intervalMin': integer(0, 1440, 'min', 15, {
    category: 'Checklist',
    label: 'Run the checklist every',
    description: 'Run every check on this schedule (besides at start and on demand); 0 turns the schedule off.',
    env: ['KOS_CHECKLIST_INTERVAL_MIN'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
