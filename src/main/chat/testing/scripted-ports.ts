import type { KnowledgeContext, KnowledgeSource } from '../../ports/knowledge-context'
import type { NewTask, QueuedTask, QueuedTaskStatus, TaskQueue } from '../../ports/task-queue'

export interface ScriptedTaskQueue extends TaskQueue {
  readonly created: (NewTask & { readonly id: string })[]
  /** Moves a task to a new status, telling its watchers, as the task engine does. */
  settle(id: string, status: QueuedTaskStatus, result?: string, lastError?: string): void
}

/** A task queue for tests: remembers what was created; the test decides how each task ends. */
export function scriptedTaskQueue(
  onCreate?: (task: NewTask & { id: string }, queue: ScriptedTaskQueue) => void
): ScriptedTaskQueue {
  const tasks = new Map<string, QueuedTask>()
  const watchers = new Set<{ ids: ReadonlySet<string>; listener: (task: QueuedTask) => void }>()
  const created: (NewTask & { id: string })[] = []
  const queue: ScriptedTaskQueue = {
    created,
    create(task) {
      const id = `task-${created.length + 1}`
      const queued: QueuedTask = { id, title: task.title, status: 'pending', result: null, lastError: null }
      tasks.set(id, queued)
      created.push({ ...task, id })
      onCreate?.({ ...task, id }, queue)
      return queued
    },
    get: (id) => tasks.get(id) ?? null,
    watch(ids, listener) {
      const watcher = { ids: new Set(ids), listener }
      watchers.add(watcher)
      return () => watchers.delete(watcher)
    },
    settle(id, status, result, lastError) {
      const task = tasks.get(id)
      if (!task) throw new Error(`no task ${id}`)
      const next = { ...task, status, result: result ?? null, lastError: lastError ?? null }
      tasks.set(id, next)
      for (const w of [...watchers]) if (w.ids.has(id)) w.listener(next)
    }
  }
  return queue
}

export interface ScriptedKnowledge extends KnowledgeContext {
  readonly remembered: Map<string, string>
  readonly asked: string[]
}

export function scriptedKnowledge(
  options: { context?: string; sources?: KnowledgeSource[]; cache?: Record<string, string>; fail?: Error } = {}
): ScriptedKnowledge {
  const remembered = new Map(Object.entries(options.cache ?? {}))
  const asked: string[] = []
  return {
    remembered,
    asked,
    async contextFor(question) {
      asked.push(question)
      if (options.fail) throw options.fail
      return { text: options.context ?? '', sources: options.sources ?? [] }
    },
    cachedAnswer: (prompt) => remembered.get(prompt) ?? null,
    rememberAnswer: (prompt, answer) => void remembered.set(prompt, answer)
  }
}
