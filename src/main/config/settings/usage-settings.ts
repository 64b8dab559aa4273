import { BUDGET_PERIODS } from '../../../shared/contract/usage-contract'
import { choice, integer, type SettingDefinition } from '../setting-builders'

/** What every model call may use before the owner is told. */
export const USAGE_SETTINGS = {
  'usage.tokenBudget': integer(0, 10_000_000_000, 'tokens', 1_000_000, {
    category: 'Budget',
    label: 'Token budget',
    description:
      'Tokens (in + out) that every model call together — chat, board, tasks and workflows — may use per budget period before one alert (a notification and the webhook); 0 turns the alert off.',
    env: ['KOS_USAGE_TOKEN_BUDGET'],
    applies: 'live'
  }),
  'usage.budgetPeriod': choice(BUDGET_PERIODS, 'day', {
    category: 'Budget',
    label: 'Budget period',
    description:
      'The period the token budget covers, in UTC: day, week (from Monday) or month. The alert is sent at most once per period.',
    env: ['KOS_USAGE_BUDGET_PERIOD'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
