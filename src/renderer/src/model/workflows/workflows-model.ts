import type { RpcError } from '../../../../shared/contract/rpc-error'
import {
  RUN_PAGE_SIZE,
  type DefinitionProblem,
  type RunDetail,
  type RunSummary,
  type WorkflowEntry
} from '../../../../shared/contract/workflows-contract'
import { defineViewModel, type ViewModelApi } from '../view-model'

export interface WorkflowsData {
  readonly workflows: WorkflowEntry[] | null
  readonly problems: DefinitionProblem[]
  readonly userFolder: string | null
  /** Newest first; null until first read. */
  readonly runs: RunSummary[] | null
  readonly nextCursor: string | null
  readonly selected: RunDetail | null
  readonly error: RpcError | null
  readonly starting: boolean
  /** The decision log of the open run as exported: its bytes' SHA-256, once asked for. */
  readonly exported: {
    readonly runId: string
    readonly json: string
    readonly sha256: string
    readonly count: number
  } | null
}

export interface StartDraft {
  readonly workflowId: string
  readonly input: string
  readonly title?: string
  /** The chat message it was made from ("Make this a workflow"). */
  readonly messageId?: string
  /** The project its code steps test their files on, and write them into once approved. */
  readonly project?: { readonly folder: string; readonly testCommand: string }
}

export interface WorkflowsActions {
  refresh(): Promise<void>
  loadMore(): Promise<void>
  select(id: string | null): Promise<void>
  /** Starts a run and opens it; the refusal, if any, to show beside the form. */
  start(draft: StartDraft): Promise<RpcError | null>
  cancel(id: string): Promise<void>
  exportLog(runId: string): Promise<void>
  /** Approves or rejects writing the open run's files into its folder (the same request the Approvals view lists). */
  decideApply(runId: string, approvalId: string, verdict: 'approve' | 'reject'): Promise<void>
}

export type WorkflowsState = WorkflowsData & WorkflowsActions

interface Local {
  /** The newest read of the open run wins; an older answer arriving late is dropped. */
  detailRead: number
}

const ACTIVE = new Set(['running', 'waiting_approval'])

/** The runs with one changed or added, newest first (by creation time, then id). */
export function upsertRun(runs: readonly RunSummary[], run: RunSummary): RunSummary[] {
  const others = runs.filter((r) => r.id !== run.id)
  return [...others, run].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1
  )
}

export const isActive = (run: Pick<RunSummary, 'status'>): boolean => ACTIVE.has(run.status)

async function readDetail({ client, set, local }: ViewModelApi<WorkflowsState, Local>, id: string): Promise<void> {
  const read = ++local.detailRead
  const result = await client.call('workflows.runs.get', { id })
  if (read !== local.detailRead) return
  if (result.ok) set({ selected: result.value, error: null })
  else set({ error: result.error })
}

async function readAll({ client, set }: ViewModelApi<WorkflowsState, Local>): Promise<void> {
  const [defs, runs] = await Promise.all([
    client.call('workflows.list', {}),
    client.call('workflows.runs.list', { limit: RUN_PAGE_SIZE })
  ])
  if (defs.ok)
    set({ workflows: defs.value.workflows, problems: defs.value.problems, userFolder: defs.value.userFolder })
  if (runs.ok) set({ runs: runs.value.runs, nextCursor: runs.value.nextCursor })
  const failed = !defs.ok ? defs.error : !runs.ok ? runs.error : null
  set({ error: failed })
}

/** The Workflows view: what can be run, the runs, and the one opened as a timeline. The parameter is the run the URL names. */
export const workflowsModel = defineViewModel<WorkflowsData, WorkflowsActions, string | null, Local>({
  initialState: () => ({
    workflows: null,
    problems: [],
    userFolder: null,
    runs: null,
    nextCursor: null,
    selected: null,
    error: null,
    starting: false,
    exported: null
  }),
  local: () => ({ detailRead: 0 }),
  actions: (api) => {
    const { client, get, set } = api
    return {
      refresh: () => readAll(api),
      async loadMore() {
        const cursor = get().nextCursor
        if (cursor === null) return
        const result = await client.call('workflows.runs.list', { cursor, limit: RUN_PAGE_SIZE })
        if (!result.ok) return set({ error: result.error })
        set({
          runs: result.value.runs.reduce(upsertRun, get().runs ?? []),
          nextCursor: result.value.nextCursor
        })
      },
      async select(id) {
        if (id === null) {
          api.local.detailRead++
          return set({ selected: null, exported: null })
        }
        if (get().exported?.runId !== id) set({ exported: null })
        await readDetail(api, id)
      },
      async start(draft) {
        set({ starting: true })
        const result = await client.call('workflows.run', {
          workflowId: draft.workflowId,
          input: draft.input,
          ...(draft.title?.trim() ? { title: draft.title.trim() } : {}),
          ...(draft.project ? { project: draft.project } : {}),
          ...(draft.messageId ? { source: 'chat' as const, messageId: draft.messageId } : { source: 'form' as const })
        })
        set({ starting: false })
        if (!result.ok) return result.error
        set({ runs: upsertRun(get().runs ?? [], result.value) })
        await readDetail(api, result.value.id)
        return null
      },
      async cancel(id) {
        const result = await client.call('workflows.runs.cancel', { id })
        if (!result.ok) return set({ error: result.error })
        set({ runs: upsertRun(get().runs ?? [], result.value) })
        if (get().selected?.run.id === id) await readDetail(api, id)
      },
      async decideApply(runId, approvalId, verdict) {
        const result = await client.call('approvals.decide', { ids: [approvalId], verdict })
        if (!result.ok) return set({ error: result.error })
        // The files are written after the verdict; workflows.changed brings the outcome, this read the verdict at once.
        if (get().selected?.run.id === runId) await readDetail(api, runId)
      },
      async exportLog(runId) {
        const result = await client.call('workflows.decisions.export', { runId })
        if (result.ok) set({ exported: { runId, ...result.value } })
        else set({ error: result.error })
      }
    }
  },
  events: {
    'workflows.changed': (run, api) => {
      const { get, set } = api
      if (get().runs !== null) set({ runs: upsertRun(get().runs ?? [], run) })
      // The open run's timeline is read again: a step started, passed or came back.
      if (get().selected?.run.id === run.id) void readDetail(api, run.id)
    }
  },
  async reload(api, initial) {
    const id = api.get().selected?.run.id ?? initial
    await Promise.all([readAll(api), id ? readDetail(api, id) : Promise.resolve()])
  }
})
