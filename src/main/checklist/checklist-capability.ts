import type { Capability } from '../rpc/handler-types'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { Db } from '../db/database'
import type { Migration } from '../db/migrations'
import type { CheckDefinition, FixId } from './check-definition'
import { checklistHandlers } from './checklist-handlers'
import { createChecklistService, type ChecklistService, type Fixes } from './checklist-service'
import { createChecklistStore } from './checklist-store'
import { appChecks, type AppCheckDeps } from './checks/app-checks'
import { databaseChecks } from './checks/database-checks'

export interface ChecklistCapabilityDeps {
  readonly db: Db
  readonly events: EventBus
  readonly log: Logger
  readonly databaseFile: string
  readonly logFile: string
  readonly migrations: readonly Migration[]
  readonly app: AppCheckDeps
  /** Checks contributed by the other capabilities (nodes, queue, embeddings, fallbacks…). */
  readonly capabilityChecks: readonly CheckDefinition[]
  readonly errorTypes: () => Promise<Readonly<Record<string, number>>>
  readonly fixes: Fixes
  /** Why a fix cannot work here now, as the person's step instead (see ChecklistDeps). */
  readonly fixBlocked?: (id: FixId) => string | null
  readonly intervalMinutes: () => number
  /** Run at start and on the schedule; off for one-shot CLI commands. */
  readonly background: boolean
}

export function createChecklistCapability(
  deps: ChecklistCapabilityDeps
): Capability<'checklist'> & { readonly service: ChecklistService } {
  const checks = [
    ...appChecks(deps.app),
    ...databaseChecks({ db: deps.db, databaseFile: deps.databaseFile, migrations: deps.migrations }),
    ...deps.capabilityChecks
  ]
  const service = createChecklistService({
    checks,
    store: createChecklistStore(deps.db),
    events: deps.events,
    log: deps.log,
    now: () => new Date(),
    logFile: deps.logFile,
    errorTypes: deps.errorTypes,
    fixes: deps.fixes,
    fixBlocked: deps.fixBlocked,
    intervalMinutes: deps.intervalMinutes,
    checkTimeoutMs: 15_000
  })
  if (deps.background) service.start()
  return { service, handlers: checklistHandlers(service), stop: () => service.stop() }
}
