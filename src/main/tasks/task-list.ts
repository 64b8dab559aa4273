import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/database'
import { decodeCursor, encodeCursor } from '../../shared/contract/paging'
import type { TaskFacets, TaskList, TaskStatus, TaskStatusCounts } from '../../shared/contract/tasks-contract'
import { ftsQuery, idRange, matchesTerms, searchTerms } from '../../shared/task-search'
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './task-row'

export interface ListFilters {
  readonly status?: TaskStatus | undefined
  readonly expert?: string | undefined
  readonly domain?: string | undefined
  readonly backend?: string | undefined
  readonly search?: string | undefined
  readonly cursor?: string | undefined
  readonly limit: number
}

/** A status filter as SQLite can prove it implies one of the partial indexes of migration 0010, so a filtered list reads that index, not the table. */
const STATUS_IS: Readonly<Record<TaskStatus, string>> = {
  pending: "status IN ('pending', 'failed') AND status = 'pending'",
  failed: "status IN ('pending', 'failed') AND status = 'failed'",
  in_progress: "status = 'in_progress'",
  deferred_to_human: "status = 'deferred_to_human'",
  cancelled: "status = 'cancelled'",
  // Only a completion sets completed_at and nothing clears it, so this is status = 'completed', read from the index alone.
  completed: 'completed_at IS NOT NULL'
}

/** The partial index holding the tasks of each status (migration 0010), whose WHERE the STATUS_IS term implies. */
const STATUS_INDEX: Readonly<Record<TaskStatus, string>> = {
  pending: 'tasks_claimable',
  failed: 'tasks_claimable',
  in_progress: 'tasks_running',
  deferred_to_human: 'tasks_deferred',
  cancelled: 'tasks_cancelled',
  completed: 'tasks_completed'
}

/** Up to this many tasks of a status are read from its own index and sorted; more are found by walking the list's order. */
const SORT_AT_MOST = 5_000

/** The most distinct experts or domains a filter offers. */
const FACET_MAX = 500

/**
 * The Tasks view's list: a page at a time, newest first (created_at, then
 * id, both descending), every filter and the search in SQL. A page starts
 * after the cursor's row, on the index migration 0013 keeps in that order, so
 * the first page reads `limit` index entries whatever the table holds; the
 * total and the filter values come with the first page only.
 */
export function createTaskList(
  db: Db,
  counts: () => TaskStatusCounts,
  knownBackends: () => ReadonlySet<string>,
  /** Up to this many tasks matching a filter are read and sorted; more are found by walking the list's order. */
  sortAtMost = SORT_AT_MOST
) {
  // DISTINCT would read the whole index; stepping from one value to the next is one seek per value.
  const nextExpert = db
    .prepare(
      'SELECT MIN(assignee_expert) FROM tasks INDEXED BY tasks_expert WHERE assignee_expert IS NOT NULL AND assignee_expert > ?'
    )
    .pluck()
  const nextDomain = db
    .prepare('SELECT MIN(domain) FROM tasks INDEXED BY tasks_domain WHERE domain IS NOT NULL AND domain > ?')
    .pluck()
  // One statement per combination of filters, prepared the first time it is asked for.
  const statements = new Map<string, Statement<unknown[]>>()
  const prepared = (sql: string): Statement<unknown[]> => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = db.prepare<unknown[]>(sql)
      statements.set(sql, statement)
    }
    return statement
  }

  const expertCount = db.prepare('SELECT n FROM task_expert_counts WHERE expert = ?').pluck()
  const domainCount = db.prepare('SELECT n FROM task_domain_counts WHERE domain = ?').pluck()
  const countMatches = db.prepare('SELECT count(*) FROM tasks_fts WHERE tasks_fts MATCH ?').pluck()
  // The search as the index runs it, for a row at a time: a page of a search most tasks match is found by walking the
  // list's order and testing each row, instead of collecting every match to sort them. One query's terms are kept.
  let lastQuery = ''
  let lastTerms: string[] = []
  db.function('kos_task_matches', { deterministic: true }, (title: unknown, description: unknown, query: unknown) => {
    if (query !== lastQuery) {
      lastQuery = String(query)
      lastTerms = searchTerms(lastQuery)
    }
    return matchesTerms(`${String(title)} ${String(description)}`, lastTerms) ? 1 : 0
  })

  // Tasks named by their id (or its start) that the words do not already find, so none is counted twice.
  const idOnlyCount = db
    .prepare('SELECT count(*) FROM tasks WHERE id >= ? AND id < ? AND NOT kos_task_matches(title, description, ?)')
    .pluck()

  const distinct = (next: Statement<unknown[]>): string[] => {
    const values: string[] = []
    let value = next.get('') as string | null
    while (value !== null && values.length < FACET_MAX) {
      values.push(value)
      value = next.get(value) as string | null
    }
    return values
  }

  const facets = (): TaskFacets => ({
    experts: distinct(nextExpert),
    domains: distinct(nextDomain),
    backends: [...knownBackends()].sort()
  })

  /**
   * A search: its matches in the full-text index (migration 0017), or the
   * task whose id it is. `all` selects them by rowid (NOT INDEXED still looks
   * rows up by rowid); `each` tests one row, for a walk of the list's order.
   */
  function findSearch(search: string): {
    all: string
    each: string
    params: (string | number)[]
    eachParams: (string | number)[]
    matches: number
    sparse: boolean
  } {
    const terms = searchTerms(search)
    const query = terms.length > 0 ? ftsQuery(terms) : null
    const [from, below] = idRange(search)
    const byId = idOnlyCount.get(from, below, search) as number
    const matches = (query === null ? 0 : (countMatches.get(query) as number)) + byId
    return {
      all:
        query === null
          ? 'tasks.rowid IN (SELECT rowid FROM tasks WHERE id >= ? AND id < ?)'
          : 'tasks.rowid IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ? UNION SELECT rowid FROM tasks WHERE id >= ? AND id < ?)',
      each: '(kos_task_matches(title, description, ?) OR (id >= ? AND id < ?))',
      params: query === null ? [from, below] : [query, from, below],
      eachParams: [search, from, below],
      matches,
      sparse: matches <= sortAtMost
    }
  }

  return (filters: ListFilters): TaskList => {
    const where: string[] = []
    const params: (string | number)[] = []
    if (filters.status) where.push(STATUS_IS[filters.status])
    const equal: [string, string | undefined][] = [
      ['assignee_expert', filters.expert],
      ['domain', filters.domain],
      ['backend', filters.backend]
    ]
    for (const [column, value] of equal) {
      if (!value) continue
      where.push(`${column} = ?`)
      params.push(value)
    }
    const search = filters.search?.trim()
    const found = search ? findSearch(search) : null
    const filtered = where.length > 0 || found !== null
    const first = filters.cursor === undefined
    let total: number | null = null
    if (first) {
      if (!filtered) total = sum(counts())
      else if (!found && where.length === 1 && filters.status) total = counts()[filters.status]
      else if (!found && where.length === 1 && filters.expert)
        total = (expertCount.get(filters.expert) as number | undefined) ?? 0
      else if (!found && where.length === 1 && filters.domain)
        total = (domainCount.get(filters.domain) as number | undefined) ?? 0
      else if (found && where.length === 0) total = found.matches
      else if (found)
        total = (
          prepared(`SELECT COUNT(*) AS n FROM tasks WHERE ${[...where, found.all].join(' AND ')}`).get(
            ...params,
            ...found.params
          ) as { n: number }
        ).n
      else
        total = (
          prepared(`SELECT COUNT(*) AS n FROM tasks WHERE ${where.join(' AND ')}`).get(...params) as { n: number }
        ).n
    }
    // A search most tasks match walks the list's order testing each row; a rarer one reads its matches and sorts them.
    if (found) {
      where.push(found.sparse ? found.all : found.each)
      params.push(...(found.sparse ? found.params : found.eachParams))
    }
    const page = [...where]
    const pageParams = [...params]
    if (filters.cursor !== undefined) {
      const after = decodeCursor(filters.cursor)
      // After a row come the older ones, and those of its millisecond with a smaller (earlier) id.
      page.push('created_at <= ? AND (created_at < ? OR id < ?)')
      pageParams.push(after.atMs, after.atMs, after.id)
    }
    const clause = page.length ? `WHERE ${page.join(' AND ')}` : ''
    // One row past the page says whether there is a next one.
    const rows = prepared(
      `SELECT ${SUMMARY_COLUMNS} FROM tasks ${found?.sparse ? 'NOT INDEXED' : `INDEXED BY ${indexFor(filters, counts, sortAtMost)}`} ${clause} ORDER BY created_at DESC, id DESC LIMIT ?`
    ).all(...pageParams, filters.limit + 1) as SummaryRow[]
    const more = rows.length > filters.limit
    if (more) rows.pop()
    const last = rows.at(-1)
    return {
      tasks: rows.map(toSummary),
      total,
      nextCursor: more && last ? encodeCursor({ atMs: last.created_at, id: last.id }) : null,
      facets: first ? facets() : null
    }
  }
}

/**
 * The index a page is read from. Without statistics the planner guesses, and
 * a wrong guess at 1,000,000 tasks costs seconds: sorting every task of one
 * expert, or walking the whole list for the few in manual review. The
 * expert and domain indexes are in list order; a status with few tasks is
 * read from its own index and sorted; anything else walks the list's order.
 */
function indexFor(filters: ListFilters, counts: () => TaskStatusCounts, sortAtMost: number): string {
  if (filters.expert) return 'tasks_expert'
  if (filters.domain) return 'tasks_domain'
  if (filters.status && counts()[filters.status] <= sortAtMost) return STATUS_INDEX[filters.status]
  return 'tasks_created'
}

function sum(counts: Readonly<Record<string, number>>): number {
  let n = 0
  for (const value of Object.values(counts)) n += value
  return n
}
