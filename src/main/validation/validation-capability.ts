import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import type { Logger } from '../log/logger'
import type { ChatModel } from '../ports/chat-model'
import type { DecisionLog } from '../ports/decision-log'
import type { ResultValidator, TestRunner } from '../ports/result-validator'
import type { TaskProcessor } from '../ports/task-processor'
import type { Capability } from '../rpc/handler-types'
import { createEscalationLadder, type LadderDeps } from './escalation-ladder'
import { createEscalationStore } from './escalation-store'
import { createResultValidator } from './result-validator'
import { createTestRunStore } from './test-run-store'
import { createTestRunner } from './test-runner'
import { validatedProcessor } from './validated-processor'
import { validationHandlers } from './validation-handlers'
import { createValidationStore } from './validation-store'

/** The most one validator call may take before the result counts unjudged. */
const VALIDATOR_TIMEOUT_MS = 60_000

export interface ValidationCapability extends Capability<'validation'> {
  readonly validator: ResultValidator
  readonly testRunner: TestRunner
  /** The task engine's processor with the validator and the escalation ladder's choices in front of it. */
  wrap(processor: TaskProcessor): TaskProcessor
  /** Starts the escalation ladder once the task engine and the board exist. */
  startLadder(deps: LadderDeps): void
  /** Where verdicts, escalations are written down, once the workflow capability's decision log exists. */
  setDecisionLog(log: DecisionLog | null): void
}

export function createValidationCapability(deps: {
  readonly db: Db
  readonly config: Pick<ConfigService, 'get'>
  readonly log: Logger
  readonly model: ChatModel | null
}): ValidationCapability {
  const log = deps.log.child({ capability: 'validation' })
  const validations = createValidationStore(deps.db)
  const testRuns = createTestRunStore(deps.db)
  const escalations = createEscalationStore(deps.db)
  let decisions: DecisionLog | null = null
  const validator = createResultValidator({
    model: () => deps.model,
    minScore: () => deps.config.get('worker.minValidatorScore'),
    store: validations,
    decisions: () => decisions,
    timeoutMs: VALIDATOR_TIMEOUT_MS
  })
  const ladder = createEscalationLadder({
    store: escalations,
    rounds: () => deps.config.get('validation.escalationRounds'),
    decisions: () => decisions,
    log
  })
  return {
    validator,
    testRunner: createTestRunner({ store: testRuns }),
    handlers: validationHandlers({ validations, testRuns, escalations }),
    wrap: (processor) =>
      ladder.wrap(
        validatedProcessor(processor, {
          validator,
          enabled: () => deps.config.get('validation.enabled'),
          minAnswerChars: () => deps.config.get('worker.minAnswerChars'),
          onUnjudged: (task, why) =>
            log.warn('result counted unjudged', { correlation_id: task.correlationId, task_id: task.id, reason: why })
        })
      ),
    startLadder: (ladderDeps) => ladder.start(ladderDeps),
    setDecisionLog: (next) => void (decisions = next),
    stop: () => ladder.stop()
  }
}
