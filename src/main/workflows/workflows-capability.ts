import { isAbsolute, join } from 'node:path'
import type { Db } from '../db/database'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { Approvals } from '../ports/approvals'
import type { ResultValidator, TestRunner } from '../ports/result-validator'
import type { TaskQueue } from '../ports/task-queue'
import type { Capability } from '../rpc/handler-types'
import { createApplyStore } from './apply-store'
import { builtinWorkflowFiles } from './builtin-workflows'
import type { DecisionLogStore } from './decision-log-store'
import { loadDefinitions } from './definition-loader'
import type { StepActions, TaskTokens } from './step-finisher'
import { createWorkflowRunner } from './workflow-runner'
import { createWorkflowStore } from './workflow-store'
import { workflowsHandlers, type WorkflowsService } from './workflows-handlers'

export interface WorkflowsCapability extends Capability<'workflows'> {
  readonly service: WorkflowsService
  /** Picks up the runs under way when the app last stopped; for long-running hosts. */
  begin(): void
}

export function createWorkflowsCapability(deps: {
  readonly db: Db
  readonly events: Pick<EventBus, 'emit'>
  readonly log: Logger
  readonly dataDir: string
  readonly decisions: DecisionLogStore
  readonly tasks: TaskQueue
  readonly cancelTask: (taskId: string) => Promise<void>
  readonly actions: StepActions
  readonly validator?: ResultValidator | null
  readonly testRunner?: TestRunner | null
  readonly approvals?: Approvals | null
  /** Each step task's tokens as the usage ledger counted them; without it every step is estimated. */
  readonly taskTokens?: TaskTokens | null
  /** The built-in definitions' text by file; the bundled resources/workflows/ by default. */
  readonly builtins?: Readonly<Record<string, string>>
}): WorkflowsCapability {
  const log = deps.log.child({ capability: 'workflows' })
  const store = createWorkflowStore(deps.db)
  const userFolder = join(deps.dataDir, 'workflows')
  const builtins = deps.builtins ?? builtinWorkflowFiles()
  const runner = createWorkflowRunner({
    store,
    decisions: deps.decisions,
    priorVerdict: (taskId) => deps.decisions.latest(taskId, 'validation'),
    tasks: deps.tasks,
    cancelTask: deps.cancelTask,
    actions: deps.actions,
    validator: deps.validator ?? null,
    testRunner: deps.testRunner ?? null,
    approvals: deps.approvals ?? null,
    resolvePath: (path) => (isAbsolute(path) ? path : join(deps.dataDir, path)),
    applies: createApplyStore(deps.db),
    taskTokens: deps.taskTokens ?? null,
    onChange: (summary) => deps.events.emit('workflows.changed', summary),
    log
  })
  const service: WorkflowsService = {
    store,
    decisions: deps.decisions,
    runner,
    definitions: () => loadDefinitions(builtins, userFolder),
    userFolder
  }
  return {
    service,
    handlers: workflowsHandlers(service),
    begin: () => runner.resume(),
    stop: () => runner.stop()
  }
}
