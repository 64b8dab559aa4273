import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import type { Logger } from '../log/logger'
import type { ChatModel } from '../ports/chat-model'
import type { DecisionLog } from '../ports/decision-log'
import type { ResultValidator } from '../ports/result-validator'
import type { TaskProcessor } from '../ports/task-processor'
import { createResultValidator } from './result-validator'
import { validatedProcessor } from './validated-processor'
import { createValidationStore, type ValidationStore } from './validation-store'

/** The most one validator call may take before the result counts unjudged. */
const VALIDATOR_TIMEOUT_MS = 60_000

export interface ValidationCapability {
  readonly validator: ResultValidator
  readonly store: ValidationStore
  /** The task engine's processor with the validator behind it. */
  wrap(processor: TaskProcessor): TaskProcessor
  /** Where verdicts are written down, once the workflow capability's decision log exists. */
  setDecisionLog(log: DecisionLog | null): void
}

export function createValidationCapability(deps: {
  readonly db: Db
  readonly config: Pick<ConfigService, 'get'>
  readonly log: Logger
  readonly model: ChatModel | null
}): ValidationCapability {
  const log = deps.log.child({ capability: 'validation' })
  const store = createValidationStore(deps.db)
  let decisions: DecisionLog | null = null
  const validator = createResultValidator({
    model: () => deps.model,
    minScore: () => deps.config.get('worker.minValidatorScore'),
    store,
    decisions: () => decisions,
    timeoutMs: VALIDATOR_TIMEOUT_MS
  })
  return {
    validator,
    store,
    wrap: (processor) =>
      validatedProcessor(processor, {
        validator,
        enabled: () => deps.config.get('validation.enabled'),
        minAnswerChars: () => deps.config.get('worker.minAnswerChars'),
        onUnjudged: (taskId, why) => log.warn('result counted unjudged', { task_id: taskId, reason: why })
      }),
    setDecisionLog: (next) => void (decisions = next)
  }
}
