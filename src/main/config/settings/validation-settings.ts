import { flagOf, integer, type SettingDefinition } from '../setting-builders'

/** Result validation and the escalation ladder (the pass mark itself is worker.minValidatorScore). */
export const VALIDATION_SETTINGS = {
  'validation.enabled': flagOf(true, {
    label: 'Check every result',
    category: 'Validation',
    description:
      'Judge every task result with a validator model and its rubric before it counts; a result scored under worker.minValidatorScore fails as validation_failed.',
    env: ['KOS_VALIDATION_ENABLED'],
    applies: 'live'
  }),
  'validation.escalationRounds': integer(0, 5, 'rounds', 1, {
    label: 'Board rounds before manual review',
    category: 'Validation',
    description:
      'How many times a task whose attempts ran out is put to the board (retry on another model, change the approach, or give up) before it goes to manual review; 0 sends it to review at once.',
    env: ['KOS_VALIDATION_ESCALATION_ROUNDS'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
