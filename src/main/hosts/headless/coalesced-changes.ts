import type { TaskStatusCounts, TaskSummary, TasksChanged } from '../../../shared/contract/tasks-contract'
import type { EventFrame } from '../../../shared/contract/wire'

/** A window is told the queue's changes at most this often: faster than it repaints a list anyone reads, slow enough that a queue running at full speed costs the host a few frames a second. */
export const CHANGES_EVERY_MS = 50

/**
 * `tasks.changed` frames merged for the open windows. At full speed the queue
 * commits a group every few milliseconds, and each frame was serialised and
 * sent on the event loop the queue runs on; merged, a task claimed and
 * completed within the interval is sent once, as it is now, with the counts
 * of the last commit. Any other frame sends what is merged first, so a
 * window never sees a change after something that followed it: a reply read
 * after a commit always comes after that commit's change.
 */
export function createChangeCoalescer(send: (frame: EventFrame) => void, everyMs = CHANGES_EVERY_MS) {
  let tasks = new Map<string, TaskSummary>()
  let counts: TaskStatusCounts | null = null
  let timer: NodeJS.Timeout | null = null

  function flush(): void {
    if (timer) clearTimeout(timer)
    timer = null
    if (counts === null) return
    const payload: TasksChanged = { tasks: [...tasks.values()], counts }
    tasks = new Map()
    counts = null
    send({ type: 'event', name: 'tasks.changed', payload })
  }

  return {
    /** Every event frame for the windows: a change is merged, anything else goes out after what was merged. */
    push(frame: EventFrame): void {
      if (frame.name !== 'tasks.changed') {
        flush()
        return send(frame)
      }
      const changed = frame.payload as TasksChanged
      for (const task of changed.tasks) {
        // Re-inserted, so the merged frame lists tasks in the order they last changed.
        tasks.delete(task.id)
        tasks.set(task.id, task)
      }
      counts = changed.counts
      timer ??= setTimeout(flush, everyMs)
    },
    /** Sends what is merged now: before a reply, so the reply never overtakes a change it reflects. */
    flush,
    /** Nobody is listening: what is merged is dropped. */
    drop(): void {
      if (timer) clearTimeout(timer)
      timer = null
      tasks = new Map()
      counts = null
    }
  }
}
