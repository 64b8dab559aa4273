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
  chat: {
    title: 'Chat',
    subtitle: 'Talk with the lead agent and her team of experts.',
    emptyTitle: 'No conversations yet',
    body: 'Your conversations with the lead agent will be listed here, each answer streamed in as it is written, with the expert who gave it and the board’s decision when a question is strategic.',
    status: 'The chat pipeline is not part of this build yet, so there is no one to talk to.'
  },
  tasks: {
    title: 'Tasks',
    subtitle: 'Work the corporation does on its own, in the background.',
    emptyTitle: 'No tasks',
    body: 'Tasks you create and tasks the agents create will be listed here by status, with live counters, the manual-review queue and one-click return to autoprocessing.',
    status: 'The task engine is not part of this build yet, so no task is queued or running.'
  },
  board: {
    title: 'Board',
    subtitle: 'Strategic questions weighed by the board of directors.',
    emptyTitle: 'No board decisions',
    body: 'Each decision of the board will be listed here with its question, every member’s position and vote, the chair’s rationale and the risks.',
    status: 'The board is not part of this build yet, so no question has been put to it.'
  }
}
