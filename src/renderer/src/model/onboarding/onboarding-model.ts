import type { PullProgress } from '../../../../shared/contract/models-contract'
import type {
  EmbeddedDownload,
  OnboardingFix,
  OnboardingProblem,
  OnboardingStatus
} from '../../../../shared/contract/onboarding-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { busyAction } from '../busy-action'
import { defineViewModel, type ViewModelApi } from '../view-model'

export interface OnboardingData {
  readonly status: OnboardingStatus | null
  /** Pulls of the recommended models onto an Ollama node, by pull id, as their progress arrives. */
  readonly pulls: Readonly<Record<string, PullProgress>>
  /** The fix in flight, so its button can say so. */
  readonly busy: OnboardingFix | null
  readonly error: RpcError | null
  /** Put aside ("Not now") or opened again in this window; null: as the core keeps it (status.postponed). */
  readonly folded: boolean | null
}

export interface OnboardingActions {
  startOllama(): Promise<void>
  pullModels(): Promise<void>
  downloadEmbedded(): Promise<void>
  /** Resolves true when the node was added, so the form can clear itself. */
  addNode(url: string): Promise<boolean>
  fold(): void
  unfold(): void
  dismissError(): void
}

export type OnboardingState = OnboardingData & OnboardingActions
type Api = ViewModelApi<OnboardingState>

async function read({ client, set }: Api): Promise<void> {
  const result = await client.call('onboarding.status', {})
  set(result.ok ? { status: result.value } : { error: result.error })
}

/** The setup panel: what is missing before the corporation can work, and the fixes the app makes. */
export const onboardingModel = defineViewModel<OnboardingData, OnboardingActions>({
  initialState: () => ({ status: null, pulls: {}, busy: null, error: null, folded: null }),
  actions: (api) => {
    const { client, get, set } = api
    const fix = busyAction<OnboardingData, OnboardingFix>(set)
    return {
      async startOllama() {
        await fix(
          'start_ollama',
          () => client.call('onboarding.startOllama', {}),
          (status) => ({ status })
        )
      },
      async pullModels() {
        await fix(
          'pull_models',
          () => client.call('onboarding.pullModels', {}),
          (started) => ({ pulls: { ...get().pulls, ...Object.fromEntries(started.map((p) => [p.pullId, p])) } })
        )
      },
      async downloadEmbedded() {
        await fix(
          'download_embedded',
          () => client.call('onboarding.downloadEmbedded', {}),
          (status) => ({ status })
        )
      },
      async addNode(url) {
        const added = await fix(
          'add_node',
          () => client.call('models.addNode', { kind: 'ollama', url, label: '' }),
          () => ({})
        )
        if (added) void read(api)
        return added
      },
      // Folded at once; the core keeps the choice for the next load. Where it may not (read-only), this window still folds.
      fold: () => {
        set({ folded: true })
        void client.call('config.set', { key: 'onboarding.postponed', value: true })
      },
      unfold: () => {
        set({ folded: false })
        void client.call('config.set', { key: 'onboarding.postponed', value: false })
      },
      dismissError: () => set({ error: null })
    }
  },
  events: {
    'onboarding.changed': (status, { set }) => set({ status }),
    'models.pullProgress': (p, { get, set }) => {
      // Only the pulls setup started: the Models view shows the others.
      if (get().pulls[p.pullId]) set({ pulls: { ...get().pulls, [p.pullId]: p } })
    }
  },
  reload: read
})

/** Whether the panel shows as one line: as this window last chose, else as the core keeps it. */
export const selectFolded = (s: OnboardingState): boolean => s.folded ?? s.status?.postponed ?? false

/** Shown once the first scan said something, while no chat model and embedding model answer. */
export const selectVisible = (s: OnboardingState): boolean => s.status !== null && s.status.checked && !s.status.ready

const NO_PROBLEMS: readonly OnboardingProblem[] = []

/** A stable reference while the status is unchanged, as selectors must give. */
export const selectProblems = (s: OnboardingState): readonly OnboardingProblem[] => s.status?.problems ?? NO_PROBLEMS

/** The fixes the problems ask for, each once, in the order the problems came (derive it in a memo: it is a new list). */
export function fixesOf(problems: readonly OnboardingProblem[]): readonly OnboardingFix[] {
  const fixes: OnboardingFix[] = []
  for (const p of problems) if (p.fix && !fixes.includes(p.fix)) fixes.push(p.fix)
  return fixes
}

export interface ProgressRow {
  readonly key: string
  readonly label: string
  /** 0–100, or null while the size is unknown (an indeterminate bar); a failed row always has a number: it is not moving. */
  readonly percent: number | null
  readonly text: string
  readonly failed: boolean
}

const MB = 1024 * 1024
const mb = (bytes: number): string => `${Math.round(bytes / MB)} MB`

export function pullRow(p: PullProgress): ProgressRow {
  const known = p.total && p.completed !== null ? Math.floor((p.completed / p.total) * 100) : null
  const percent = p.state === 'done' ? 100 : p.state === 'failed' ? (known ?? 0) : known
  const text =
    p.state === 'failed'
      ? (p.error ?? 'failed')
      : p.state === 'done'
        ? 'Pulled'
        : p.total && p.completed !== null
          ? `${mb(p.completed)} of ${mb(p.total)}`
          : p.status
  return { key: p.pullId, label: `${p.model} → ${p.node}`, percent, text, failed: p.state === 'failed' }
}

export function downloadRow(d: EmbeddedDownload): ProgressRow {
  const known = d.totalBytes ? Math.floor((d.downloadedBytes / d.totalBytes) * 100) : null
  const percent = d.state === 'done' ? 100 : d.state === 'failed' ? (known ?? 0) : known
  const text =
    d.state === 'failed'
      ? (d.error ?? 'failed')
      : d.state === 'done'
        ? 'Downloaded and verified'
        : d.state === 'verifying'
          ? 'Checking its sha256…'
          : d.totalBytes
            ? `${mb(d.downloadedBytes)} of ${mb(d.totalBytes)}`
            : `${mb(d.downloadedBytes)} so far`
  return {
    key: `download:${d.role}`,
    label: `${d.model} (${d.role === 'chat' ? 'chat' : 'embedding'})`,
    percent,
    text,
    failed: d.state === 'failed'
  }
}

/** The rows of the panel's progress list, from the pulls and the status (derive it in a memo). */
export function progressRows(
  pulls: OnboardingData['pulls'],
  downloads: readonly EmbeddedDownload[]
): readonly ProgressRow[] {
  return [...Object.values(pulls).map(pullRow), ...downloads.map(downloadRow)]
}

/** Whether the work a fix starts is still going (pulls of this panel, the engine's downloads): its button waits. */
export function selectFixRunning(s: OnboardingState, fix: OnboardingFix): boolean {
  if (fix === 'pull_models') return Object.values(s.pulls).some((p) => p.state === 'running')
  if (fix === 'download_embedded')
    return (s.status?.downloads ?? []).some((d) => d.state === 'downloading' || d.state === 'verifying')
  return false
}

/** Whether the work of a fix ended in a failure and nothing of it is running: its button offers to retry. */
export function selectFixFailed(s: OnboardingState, fix: OnboardingFix): boolean {
  if (selectFixRunning(s, fix)) return false
  if (fix === 'pull_models') return Object.values(s.pulls).some((p) => p.state === 'failed')
  if (fix === 'download_embedded') return (s.status?.downloads ?? []).some((d) => d.state === 'failed')
  return false
}

/** "2 things to set up", for the folded panel. */
export function selectSummary(s: OnboardingState): string {
  const n = selectProblems(s).filter((p) => p.kind !== 'node_down').length
  return n === 1
    ? '1 thing to set up before the corporation can work'
    : `${n} things to set up before the corporation can work`
}
