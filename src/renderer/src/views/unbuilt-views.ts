import type { ViewId } from '../navigation/views'

export interface UnbuiltViewText {
  readonly title: string
  readonly subtitle: string
  readonly emptyTitle: string
  /** What the view will show. */
  readonly body: string
  /** Why it shows nothing now. */
  readonly status: string
}

/**
 * Views whose capability this build does not have yet. Each says plainly
 * what it will hold and that nothing is running behind it; an entry leaves
 * this table when its capability lands and the view gets real data.
 */
export const UNBUILT_VIEWS: Readonly<Partial<Record<ViewId, UnbuiltViewText>>> = {
  tasks: {
    title: 'Tasks',
    subtitle: 'Work the corporation does on its own, in the background.',
    emptyTitle: 'No tasks',
    body: 'Tasks you create and tasks the agents create will be listed here by status, with live counters, the manual-review queue and one-click return to autoprocessing.',
    status: 'The task engine is not part of this build yet, so no task is queued or running.'
  },
}
