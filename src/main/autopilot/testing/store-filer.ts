import { dedupKeyNow } from '../../tasks/dedup-key'
import type { TaskStore } from '../../tasks/task-store'
import type { FileResearch } from '../learning-generator'

/** Files research tasks straight into a task store, with the queue's own dedup key, as tasks.create would; `watch` is told each new one. */
export function storeFiler(store: TaskStore, watch: (id: string) => void = () => {}): FileResearch {
  return async (task) => {
    const created = store.create({
      ...task,
      priority: 'low',
      parentTaskId: null,
      preferredBackend: null,
      preferredModel: null,
      batchGroup: null,
      dedupKey: dedupKeyNow(task.title, task.description, task.assigneeExpert)
    })
    if (created.ok) {
      watch(created.task.id)
      return { filed: true, id: created.task.id }
    }
    if (created.reason === 'duplicate') return { filed: false, duplicateOf: created.existingId }
    throw new Error(created.reason)
  }
}
