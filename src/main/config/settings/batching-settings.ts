import { flagOf, integer, type SettingDefinition } from '../setting-builders'

/**
 * Small tasks of one domain and model answered by one model call in the
 * [RESULT_N] format (the operators' SMART_WORKER_BATCH_GROUP_LLM): fewer
 * calls, fewer model switches. Off by default, since one answer then serves
 * several tasks; a task whose block is unusable is always asked on its own.
 */
export const BATCHING_SETTINGS = {
  'batching.enabled': flagOf(false, {
    label: 'Batch small tasks',
    category: 'Worker',
    description:
      'Answer small tasks of the same domain, expert and model that start together with one model call; a task whose answer does not come back cleanly is asked on its own.',
    env: ['KOS_BATCHING_ENABLED', 'SMART_WORKER_BATCH_GROUP_LLM'],
    applies: 'live'
  }),
  'batching.maxTasks': integer(2, 32, 'tasks', 8, {
    label: 'Tasks per batch',
    category: 'Worker',
    description:
      'Tasks one batched call answers at most. The scheduler picks small tasks of one domain, expert and model into a call; node caps and worker.maxConcurrency count that call once.',
    env: ['KOS_BATCHING_MAX_TASKS'],
    applies: 'live'
  }),
  'batching.maxTaskTokens': integer(16, 8_000, 'tokens', 300, {
    label: 'Largest task to batch',
    category: 'Worker',
    description:
      'A task whose title and description come to more than this many tokens (about 4 characters each) is never batched.',
    env: ['KOS_BATCHING_MAX_TASK_TOKENS'],
    applies: 'live'
  }),
  'batching.maxBatchTokens': integer(64, 32_000, 'tokens', 1_500, {
    label: 'Largest batch',
    category: 'Worker',
    description:
      'The tasks of one batch together stay under this many tokens, so the batched answer fits llm.requestTimeoutSec.',
    env: ['KOS_BATCHING_MAX_BATCH_TOKENS'],
    applies: 'live'
  }),
  'batching.windowMs': integer(1, 5_000, 'ms', 50, {
    label: 'Wait for a batch to start',
    category: 'Worker',
    description:
      'How long a batch’s call waits for the tasks picked into it to start (their model may still be loading); one that starts later is asked after the call.',
    env: ['KOS_BATCHING_WINDOW_MS'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
