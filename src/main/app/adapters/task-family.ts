import type { TaskFamily } from '../../chat/task-decomposition'
import type { Db } from '../../db/database'
import type { QueuedTask, QueuedTaskStatus } from '../../ports/task-queue'

/**
 * A task's parent link, metadata and subtasks, read straight from the tasks
 * table for the decomposer: asked for every task the engine plans, so two
 * indexed reads.
 */
export function taskFamilyReader(db: Db): (taskId: string) => TaskFamily | null {
  const self = db.prepare<[string], { parent_task_id: string | null; metadata: string }>(
    'SELECT parent_task_id, metadata FROM tasks WHERE id = ?'
  )
  const children = db.prepare<
    [string],
    { id: string; title: string; status: QueuedTaskStatus; result: string | null; last_error: string | null }
  >('SELECT id, title, status, result, last_error FROM tasks WHERE parent_task_id = ? ORDER BY created_at, id')
  return (taskId) => {
    const row = self.get(taskId)
    if (!row) return null
    let metadata: Record<string, unknown> = {}
    try {
      const parsed: unknown = JSON.parse(row.metadata)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) metadata = parsed as Record<string, unknown>
    } catch {
      // A row whose metadata is not JSON is treated as having none: it is still run, never split.
    }
    return {
      parentTaskId: row.parent_task_id,
      metadata,
      children: children.all(taskId).map((c): QueuedTask => ({
        id: c.id,
        title: c.title,
        status: c.status,
        result: c.result,
        lastError: c.last_error
      }))
    }
  }
}
