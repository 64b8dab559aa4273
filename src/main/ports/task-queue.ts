/**
 * What the chat pipeline needs of the task engine: create tasks and subtasks
 * and follow them to the end. The task capability implements it.
 */
export type QueuedTaskStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'deferred_to_human' | 'cancelled'

export interface NewTask {
  readonly title: string
  readonly description: string
  readonly domain?: string
  readonly priority?: 'low' | 'normal' | 'high' | 'urgent'
  readonly assigneeExpert?: string
  readonly parentTaskId?: string
  readonly metadata?: Readonly<Record<string, unknown>>
  readonly correlationId?: string
}

export interface QueuedTask {
  readonly id: string
  readonly title: string
  readonly status: QueuedTaskStatus
  readonly result: string | null
  readonly lastError: string | null
  /** The model that produced the result (or last tried), when known. */
  readonly model?: string | null
}

export interface TaskQueue {
  /** Creates a task; a duplicate of a recent one resolves to the existing task. */
  create(task: NewTask): QueuedTask
  get(id: string): QueuedTask | null
  /** Called on every status change of the given tasks; returns the unsubscribe. */
  watch(ids: readonly string[], listener: (task: QueuedTask) => void): () => void
}
