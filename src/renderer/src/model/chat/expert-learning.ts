import type { TaskSummary } from '../../../../shared/contract/tasks-contract'

/** A research task an expert is on, as the Team panel lists it. */
export interface LearningItem {
  readonly id: string
  readonly title: string
  readonly status: TaskSummary['status']
}

/** The title every learning task starts with (autopilot's research tasks). */
export const RESEARCH_PREFIX = 'Research: '
const SHOWN_PER_EXPERT = 3

/** Each expert's newest research tasks that were not cancelled, at most three, newest first (the list comes newest first). */
export function learningByExpert(tasks: readonly TaskSummary[]): Readonly<Record<string, readonly LearningItem[]>> {
  const byExpert: Record<string, LearningItem[]> = {}
  for (const t of tasks) {
    if (!t.assigneeExpert || !t.title.startsWith(RESEARCH_PREFIX) || t.status === 'cancelled') continue
    const list = (byExpert[t.assigneeExpert] ??= [])
    if (list.length < SHOWN_PER_EXPERT)
      list.push({ id: t.id, title: t.title.slice(RESEARCH_PREFIX.length), status: t.status })
  }
  return byExpert
}
