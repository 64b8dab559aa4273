import type { NewTask, QueuedTask, TaskQueue } from '../ports/task-queue'
import type { Task } from '../../shared/contract/tasks-contract'
import type { TasksEngine } from './tasks-engine'

function queued(task: Task): QueuedTask {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    result: task.result,
    lastError: task.lastError,
    model: task.model
  }
}

/**
 * The task queue as the chat pipeline sees it (ports/task-queue.ts): create
 * at once, read, and watch status changes. A duplicate of a recent task
 * resolves to that task, so an agent asking twice gets one task.
 */
export function createTaskQueue(engine: TasksEngine): TaskQueue {
  return {
    create(task: NewTask): QueuedTask {
      const outcome = engine.createNow({
        title: task.title,
        description: task.description,
        ...(task.domain ? { domain: task.domain } : {}),
        ...(task.priority ? { priority: task.priority } : {}),
        ...(task.assigneeExpert ? { assigneeExpert: task.assigneeExpert } : {}),
        ...(task.parentTaskId ? { parentTaskId: task.parentTaskId } : {}),
        metadata: { ...task.metadata, ...(task.correlationId ? { correlationId: task.correlationId } : {}) }
      })
      if (outcome.ok) return queued(outcome.task)
      if (outcome.reason === 'duplicate') {
        const existing = engine.store.get(outcome.existingId)
        if (existing) return queued(existing)
      }
      throw new Error(
        outcome.reason === 'unknown_parent'
          ? `parentTaskId "${outcome.parentTaskId}" names no task; create the parent first.`
          : `The duplicate task ${outcome.existingId} vanished while it was being read; create the task again.`
      )
    },
    get(id) {
      const task = engine.store.get(id)
      return task ? queued(task) : null
    },
    watch(ids, listener) {
      const watched = new Set(ids)
      return engine.onEvents((events) => {
        const changed = new Set(
          events.filter((e) => watched.has(e.taskId) && e.kind !== 'progress').map((e) => e.taskId)
        )
        for (const id of changed) {
          const task = engine.store.get(id)
          if (task) listener(queued(task))
        }
      })
    }
  }
}
