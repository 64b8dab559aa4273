import { decimal, flagOf, integer, type SettingDefinition } from '../setting-builders'

/**
 * The chat pipeline and the board of directors. The lead agent's name is not
 * a setting: it is part of the lead agent's definition, edited with the other
 * experts in the Chat view.
 */
export const CHAT_SETTINGS = {
  'chat.preferExpertsFirst': flagOf(true, {
    category: 'Chat',
    label: 'Send work to experts first',
    description:
      'Send execution requests ("write", "make", "implement" …) to the best expert for their domain; only simple one-step questions go to the fast model.',
    env: ['KOS_CHAT_PREFER_EXPERTS_FIRST', 'PREFER_EXPERTS_FIRST'],
    applies: 'live'
  }),
  'chat.historyTurns': integer(0, 50, 'messages', 10, {
    category: 'Chat',
    label: 'Conversation memory',
    description: 'How many earlier messages of the session go with each question.',
    env: ['KOS_CHAT_HISTORY_TURNS'],
    applies: 'live'
  }),
  'chat.boardEnabled': flagOf(true, {
    category: 'Chat',
    label: 'Ask the board',
    description: 'Put strategic questions to the board of directors before the lead agent answers.',
    env: ['KOS_CHAT_BOARD_ENABLED'],
    applies: 'live'
  }),
  'chat.boardTimeoutSec': integer(5, 600, 's', 45, {
    category: 'Chat',
    label: 'Board deliberation limit',
    description: 'How long the board may deliberate; after that the chat answers without its decision and says so.',
    env: ['KOS_CHAT_BOARD_TIMEOUT_SEC'],
    applies: 'live'
  }),
  'chat.dailyTokenBudget': integer(0, 1_000_000_000, 'tokens', 1_000_000, {
    category: 'Budget',
    label: 'Daily token budget (replaced)',
    description:
      'Replaced by usage.tokenBudget, which covers every model call. Still read, as the daily budget, while usage.tokenBudget is not set.',
    env: ['KOS_CHAT_DAILY_TOKEN_BUDGET'],
    applies: 'live'
  }),
  'chat.remotePricePer1k': decimal(0, 1000, 0, {
    category: 'Budget',
    label: 'Remote price per 1,000 tokens',
    description:
      'Price per 1,000 tokens on remote model nodes, for the cost figures; answers from this Mac cost nothing.',
    env: ['KOS_CHAT_REMOTE_PRICE_PER_1K'],
    applies: 'live'
  }),
  'chat.fallbackRatioThreshold': decimal(0, 1, 0.3, {
    category: 'Chat',
    label: 'Fallback share before degraded',
    description:
      'Share of answers over 24 h that had to fall back to another model before the chat’s health turns degraded.',
    env: ['KOS_CHAT_FALLBACK_RATIO_THRESHOLD'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
