import { integer, type SettingDefinition } from '../setting-builders'

/**
 * The task worker. Defaults follow what the operators of the system this
 * replaces settled on (3 attempts, 90 s between them, 15 min to call a task
 * stuck, 300 s for an LLM answer).
 */
export const WORKER_SETTINGS = {
  'worker.maxConcurrency': integer(1, 64, 'tasks', 4, {
    category: 'Worker',
    description: 'Ceiling on tasks processed at once; adaptive concurrency stays at or under it.',
    env: ['KOS_WORKER_MAX_CONCURRENCY'],
    applies: 'live'
  }),
  'worker.maxAttempts': integer(1, 10, 'attempts', 3, {
    category: 'Worker',
    description: 'Attempts before a task goes to manual review.',
    env: ['KOS_WORKER_MAX_ATTEMPTS'],
    applies: 'live'
  }),
  'worker.retryDelaySec': integer(0, 3600, 's', 90, {
    category: 'Worker',
    description: 'Wait before a failed attempt is retried.',
    env: ['KOS_WORKER_RETRY_DELAY_SEC'],
    applies: 'live'
  }),
  'worker.stuckMinutes': integer(1, 1440, 'min', 15, {
    category: 'Worker',
    description: 'A running task whose heartbeat is older than this is reset to pending.',
    env: ['KOS_WORKER_STUCK_MINUTES'],
    applies: 'live'
  }),
  'worker.heartbeatSec': integer(1, 600, 's', 30, {
    category: 'Worker',
    description: 'How often a running task proves it is alive.',
    env: ['KOS_WORKER_HEARTBEAT_SEC'],
    applies: 'live'
  }),
  'llm.requestTimeoutSec': integer(10, 3600, 's', 300, {
    category: 'Models',
    description: 'How long one LLM answer may take; the router and the worker share this one value.',
    env: ['KOS_LLM_REQUEST_TIMEOUT_SEC'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
