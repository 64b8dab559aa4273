import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { BackendLimits } from '../ports/backend-limits'
import type { TaskProcessor } from '../ports/task-processor'
import type { TaskQueue } from '../ports/task-queue'
import type { Capability } from '../rpc/handler-types'
import { createTaskQueue } from './task-queue'
import { createTasksEngine, type TasksEngine } from './tasks-engine'
import { tasksHandlers } from './tasks-handlers'
import { subtasksReader } from './task-subtasks'

export interface TasksCapability extends Capability<'tasks'> {
  readonly engine: TasksEngine
  /** What the chat pipeline is given (ports/task-queue.ts). */
  readonly queue: TaskQueue
  /** Plugged in by the composition root once a model router exists; until then tasks wait as pending. */
  setProcessor(processor: TaskProcessor | null): void
}

export function createTasksCapability(deps: {
  db: Db
  config: Pick<ConfigService, 'get'>
  events: EventBus
  log: Logger
  processor: TaskProcessor | null
  /** False for a CLI that opens the data dir for one command: no pool runs there. */
  background: boolean
  /** Why no new task may start now (a nearly full disk), or null. */
  holdClaims?: () => string | null
  /** Per-node caps from the model servers' settings. */
  backendLimits?: BackendLimits
}): TasksCapability {
  const log = deps.log.child({ capability: 'tasks' })
  const engine = createTasksEngine({
    db: deps.db,
    config: deps.config,
    log,
    processor: deps.processor,
    // Watchers inside the core subscribe to the engine itself; the bus carries one change per commit to the windows.
    publish: () => undefined,
    publishChanged: (changed) => deps.events.emit('tasks.changed', changed),
    publishConcurrency: (value) => deps.events.emit('tasks.concurrency', value),
    engineChanged: () => deps.events.emit('tasks.engineChanged', engine.state()),
    // Where the pool commits all day; a one-command CLI has no use for a thread.
    checkpointWorker: deps.background,
    ...(deps.holdClaims ? { holdClaims: deps.holdClaims } : {}),
    ...(deps.backendLimits ? { backendLimits: deps.backendLimits } : {})
  })
  if (deps.background) engine.start()
  return {
    engine,
    queue: createTaskQueue(engine),
    handlers: tasksHandlers(
      engine,
      () => deps.events.emit('tasks.engineChanged', engine.state()),
      subtasksReader(deps.db)
    ),
    setProcessor: (processor) => {
      engine.setProcessor(processor)
      deps.events.emit('tasks.engineChanged', engine.state())
    },
    stop: () => engine.stop(),
    onSystemResume: () => engine.resume()
  }
}
