import { decimal, integer, type SettingDefinition } from '../setting-builders'

/**
 * The task worker. Defaults follow what the operators of the system this
 * replaces settled on (3 attempts, 90 s between them, 15 min to call a task
 * stuck, 300 s for an LLM answer).
 */
export const WORKER_SETTINGS = {
  'worker.maxConcurrency': integer(1, 64, 'calls', 4, {
    category: 'Worker',
    label: 'Model calls at once',
    description:
      'Ceiling on model calls in flight at once; a batch of small tasks answered together is one call. Adaptive concurrency stays at or under it.',
    env: ['KOS_WORKER_MAX_CONCURRENCY'],
    applies: 'live'
  }),
  'worker.maxAttempts': integer(1, 10, 'attempts', 3, {
    category: 'Worker',
    label: 'Attempts per task',
    description: 'Attempts before a task goes to manual review.',
    env: ['KOS_WORKER_MAX_ATTEMPTS'],
    applies: 'live'
  }),
  'worker.retryDelaySec': integer(0, 3600, 's', 90, {
    category: 'Worker',
    label: 'Wait before a retry',
    description: 'Wait before a failed attempt is retried.',
    env: ['KOS_WORKER_RETRY_DELAY_SEC'],
    applies: 'live'
  }),
  'worker.stuckMinutes': integer(1, 1440, 'min', 15, {
    category: 'Worker',
    label: 'A task is stuck after',
    description: 'A running task whose heartbeat is older than this is reset to pending.',
    env: ['KOS_WORKER_STUCK_MINUTES'],
    applies: 'live'
  }),
  'worker.heartbeatSec': integer(1, 600, 's', 30, {
    category: 'Worker',
    label: 'Heartbeat every',
    description: 'How often a running task proves it is alive.',
    env: ['KOS_WORKER_HEARTBEAT_SEC'],
    applies: 'live'
  }),
  'worker.retryBackoff': decimal(1, 10, 2, {
    category: 'Worker',
    label: 'Retry backoff factor',
    description: 'Each further retry waits this many times longer than the one before (1 = always the same delay).',
    env: ['KOS_WORKER_RETRY_BACKOFF'],
    applies: 'live'
  }),
  'worker.retryJitter': decimal(0, 1, 0.2, {
    category: 'Worker',
    label: 'Retry jitter',
    description: 'Random spread of a retry delay, as a fraction of it, so failed tasks do not all return at once.',
    env: ['KOS_WORKER_RETRY_JITTER'],
    applies: 'live'
  }),
  'worker.minAnswerChars': integer(0, 10_000, 'chars', 20, {
    category: 'Worker',
    label: 'Shortest acceptable answer',
    description: 'An answer shorter than this counts as a failed attempt (empty_or_short_response).',
    env: ['KOS_WORKER_MIN_ANSWER_CHARS'],
    applies: 'live'
  }),
  'worker.minValidatorScore': decimal(0, 1, 0.5, {
    category: 'Worker',
    label: 'Lowest validator score',
    description:
      'When the model backend can judge answers, one scored under this counts as a failed attempt (validation_failed).',
    env: ['KOS_WORKER_MIN_VALIDATOR_SCORE'],
    applies: 'live'
  }),
  'worker.heavyPerBackend': integer(1, 16, 'tasks', 1, {
    category: 'Worker',
    label: 'Heavy tasks per backend',
    description: 'Tasks on a heavy model that one backend runs at once.',
    env: ['KOS_WORKER_HEAVY_PER_BACKEND'],
    applies: 'live'
  }),
  'worker.minConcurrency': integer(1, 64, 'tasks', 1, {
    category: 'Worker',
    label: 'Fewest tasks at once',
    description: 'Floor of adaptive concurrency: it never runs fewer tasks at once while work waits.',
    env: ['KOS_WORKER_MIN_CONCURRENCY'],
    applies: 'live'
  }),
  'worker.shutdownDeadlineSec': integer(0, 600, 's', 20, {
    category: 'Worker',
    label: 'Finish work on quit for',
    description: 'On quit, how long running tasks may finish before their leases are released for the next start.',
    env: ['KOS_WORKER_SHUTDOWN_DEADLINE_SEC'],
    applies: 'live'
  }),
  'llm.requestTimeoutSec': integer(10, 3600, 's', 300, {
    category: 'Models',
    label: 'Model answer timeout',
    description: 'How long one LLM answer may take; the router and the worker share this one value.',
    env: ['KOS_LLM_REQUEST_TIMEOUT_SEC'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
