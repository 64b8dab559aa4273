import { refuse } from '../rpc/refusal'
import type { HandlersFor } from '../rpc/handler-types'
import type { Subtask } from '../../shared/contract/tasks-contract'
import type { TasksEngine } from './tasks-engine'

export function tasksHandlers(
  engine: TasksEngine,
  engineChanged: () => void,
  subtasks: (parentId: string) => Subtask[]
): HandlersFor<'tasks'> {
  const setPaused = (paused: boolean) => {
    engine.setPaused(paused)
    engineChanged()
    return engine.state()
  }
  return {
    'tasks.pause': () => setPaused(true),
    'tasks.resume': () => setPaused(false),
    'tasks.create': async (input, ctx) => {
      // The call's id goes with the task, so its runs and their model requests log under it.
      const outcome = await engine.create({
        ...input,
        metadata: { correlationId: ctx.correlationId, ...input.metadata }
      })
      if (outcome.ok) {
        ctx.log.info('task created', { task_id: outcome.task.id, priority: outcome.task.priority })
        return { ...outcome.task, events: outcome.events }
      }
      if (outcome.reason === 'unknown_parent') {
        return refuse(
          'not_found',
          `parentTaskId "${outcome.parentTaskId}" names no task. Leave it empty, or use the id of an existing task.`
        )
      }
      return refuse(
        'conflict',
        `The same task (same title and description for the same expert) was created within the last 30 days: ${outcome.existingId} (${outcome.existingStatus}). Open that task, or change the title or description if this is different work.`,
        { issues: [{ path: 'existingId', message: outcome.existingId }] }
      )
    },
    'tasks.list': (input) => engine.store.list(input),
    'tasks.get': ({ id }) => {
      const task = engine.store.get(id)
      if (!task) return refuse('not_found', `Task "${id}" does not exist. Pick one from tasks.list.`)
      return { task, events: engine.store.events(id), subtasks: subtasks(id) }
    },
    'tasks.counters': () => engine.store.counters(),
    'tasks.engine': () => engine.state(),
    'tasks.cancel': async ({ id }, ctx) => {
      const task = await engine.cancel(id)
      if (task) {
        ctx.log.info('task cancelled', { task_id: id })
        return task
      }
      const existing = engine.store.get(id)
      if (!existing) return refuse('not_found', `Task "${id}" does not exist. Pick one from tasks.list.`)
      return refuse(
        'conflict',
        `Task "${id}" is already ${existing.status.replace(/_/g, ' ')} and cannot be cancelled.`
      )
    },
    'tasks.requeue': async (input, ctx) => {
      const requeued = await engine.requeue('all' in input ? 'all_deferred' : input.ids)
      if ('ids' in input && requeued.length === 0) {
        return refuse(
          'conflict',
          `None of the ${input.ids.length} task(s) is in manual review or waiting for a retry, so none was returned to autoprocessing.`
        )
      }
      ctx.log.info('tasks returned to autoprocessing', { tasks: requeued.length })
      return { requeued }
    }
  }
}
