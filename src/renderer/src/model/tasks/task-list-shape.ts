import type { TaskStatus, TaskSummary } from '../../../../shared/contract/tasks-contract'
import { matchesId, matchesTerms, searchTerms } from '../../../../shared/task-search'
import { newestFirst, type ListShape } from '../paged-list'

export interface TaskFilters {
  readonly status: TaskStatus | ''
  readonly expert: string
  readonly domain: string
  readonly backend: string
  readonly search: string
}

export const NO_FILTERS: TaskFilters = { status: '', expert: '', domain: '', backend: '', search: '' }

/** The filters as `tasks.list` takes them: empty ones left out. */
export function listInput(filters: TaskFilters): {
  status?: TaskStatus
  expert?: string
  domain?: string
  backend?: string
  search?: string
} {
  const search = filters.search.trim()
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.expert ? { expert: filters.expert } : {}),
    ...(filters.domain ? { domain: filters.domain } : {}),
    ...(filters.backend ? { backend: filters.backend } : {}),
    ...(search ? { search } : {})
  }
}

/** Whether the filters narrow the list only by status, so the counts by status give its exact length. */
export function countedByStatus(filters: TaskFilters): boolean {
  return !filters.expert && !filters.domain && !filters.backend && !filters.search.trim()
}

/**
 * How the Tasks view's list orders and filters rows, as the store's SQL does
 * (newest first by creation, ties by id; the search as shared/task-search.ts
 * defines it). A search also matches descriptions, which a list row lacks: a
 * row already loaded matched it and keeps matching (a task's text never
 * changes); a new one is matched by its title or id.
 */
export function taskListShape(filters: TaskFilters, loaded: ReadonlySet<string>): ListShape<TaskSummary> {
  const search = filters.search.trim()
  const terms = searchTerms(search)
  return {
    key: (t) => t.id,
    compare: newestFirst(
      (t: TaskSummary) => t.createdAt,
      (t) => t.id,
      false
    ),
    matches: (t) =>
      (!filters.status || t.status === filters.status) &&
      (!filters.expert || t.assigneeExpert === filters.expert) &&
      (!filters.domain || t.domain === filters.domain) &&
      (!filters.backend || t.backend === filters.backend) &&
      (!search || loaded.has(t.id) || matchesTerms(t.title, terms) || matchesId(t.id, search))
  }
}
