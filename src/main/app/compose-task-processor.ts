import { valueOrNull, type KosClient } from '../../shared/contract/client'
import { batchingProcessor } from '../batching/batching-processor'
import { decomposingProcessor, type DecompositionDeps } from '../chat/task-decomposition'
import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import type { Logger } from '../log/logger'
import type { TaskProcessor } from '../ports/task-processor'
import type { TraceExport } from '../telemetry/trace-export'
import { tracedProcessor } from '../telemetry/traced-processor'
import { taskFamilyReader } from './adapters/task-family'

/**
 * What answers a task, from the inside out: the model (or a benchmark's own
 * processor), batching of small tasks into one call, the lead agent's split
 * of a large one, the validator's judgement, and a span for each run.
 * Results are judged per task, so the validator sits outside batching (which
 * answers many tasks in one call) and decomposition (whose parent result is
 * a synthesis).
 */
export function taskProcessorChain(parts: {
  readonly model: TaskProcessor
  /** The validator's wrap; the identity for a benchmark's processor, measured unjudged. */
  readonly judged: (processor: TaskProcessor) => TaskProcessor
  readonly tasks: DecompositionDeps['tasks']
  readonly traces: Pick<TraceExport, 'record'>
  readonly config: ConfigService
  readonly db: Db
  readonly reader: KosClient
  readonly log: Logger
}): TaskProcessor {
  const { config, reader } = parts
  const batched = batchingProcessor(parts.model, {
    settings: () => ({
      enabled: config.get('batching.enabled'),
      maxTasks: config.get('batching.maxTasks'),
      maxTaskTokens: config.get('batching.maxTaskTokens'),
      maxBatchTokens: config.get('batching.maxBatchTokens'),
      windowMs: config.get('batching.windowMs')
    })
  })
  const split = decomposingProcessor(batched, {
    tasks: parts.tasks,
    family: taskFamilyReader(parts.db),
    experts: async () => valueOrNull(await reader.call('chat.experts.list', {}))?.experts ?? [],
    enabled: () => config.get('autopilot.decomposeEnabled'),
    log: parts.log.child({ capability: 'decomposition' })
  })
  return tracedProcessor(parts.judged(split), parts.traces)
}
