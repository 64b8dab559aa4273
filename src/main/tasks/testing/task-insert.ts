import type { TaskInsert } from '../task-store'

/** A task as the store inserts it, with every optional field left empty unless given. */
export function taskInsert(fields: Partial<TaskInsert> & Pick<TaskInsert, 'title' | 'dedupKey'>): TaskInsert {
  return {
    description: `Work on ${fields.title}.`,
    domain: null,
    priority: 'normal',
    assigneeExpert: null,
    parentTaskId: null,
    preferredBackend: null,
    preferredModel: null,
    metadata: {},
    batchGroup: null,
    ...fields
  }
}
