import type { KnowledgeNodeSummary } from '../../../../shared/contract/knowledge-contract'
import type { TaskSummary } from '../../../../shared/contract/tasks-contract'

/** A research task an expert is on, as the Team panel lists it. */
export interface LearningItem {
  readonly id: string
  readonly title: string
  readonly status: TaskSummary['status']
  /** The knowledge-base note the task's result was filed as, once it is; null before (or when the answer was not worth keeping). */
  readonly noteId: string | null
}

/** The title every learning task starts with (autopilot's research tasks). */
export const RESEARCH_PREFIX = 'Research: '
/** A learned note's source names its research task (the main process's learning-results.ts). */
export const LEARNED_SOURCE_PREFIX = 'learning:'
const SHOWN_PER_EXPERT = 3

/**
 * Each expert's newest research tasks that were not cancelled, at most three, newest first (the list comes
 * newest first), each with the note it was filed as among `notes` (the knowledge base's learned notes).
 */
export function learningByExpert(
  tasks: readonly TaskSummary[],
  notes: readonly Pick<KnowledgeNodeSummary, 'id' | 'source'>[] = []
): Readonly<Record<string, readonly LearningItem[]>> {
  const noteOf = new Map(notes.map((n) => [n.source, n.id]))
  const byExpert: Record<string, LearningItem[]> = {}
  for (const t of tasks) {
    if (!t.assigneeExpert || !t.title.startsWith(RESEARCH_PREFIX) || t.status === 'cancelled') continue
    const list = (byExpert[t.assigneeExpert] ??= [])
    if (list.length < SHOWN_PER_EXPERT)
      list.push({
        id: t.id,
        title: t.title.slice(RESEARCH_PREFIX.length),
        status: t.status,
        noteId: noteOf.get(`${LEARNED_SOURCE_PREFIX}${t.id}`) ?? null
      })
  }
  return byExpert
}
