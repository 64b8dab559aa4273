/**
 * When the app looks for an update, what it offers and when it may restart
 * into one. Electron-free: the shell feeds it electron-updater's events and
 * carries out what it decides (check, install), so every decision is tested
 * under plain Node with a fake clock.
 */

export type UpdateFeed =
  | { readonly provider: 'generic'; readonly url: string }
  | { readonly provider: 'github'; readonly owner: string; readonly repo: string }

export type UpdateState =
  | { readonly kind: 'off'; readonly reason: string }
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking' }
  | { readonly kind: 'up-to-date'; readonly checkedAt: number }
  | { readonly kind: 'downloading'; readonly version: string; readonly percent: number }
  | { readonly kind: 'ready'; readonly version: string }
  /** The person chose to restart once the running tasks are done. */
  | { readonly kind: 'waiting-for-tasks'; readonly version: string; readonly running: number }
  | { readonly kind: 'failed'; readonly message: string; readonly at: number }

export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000

/** What the person answers when a restart would stop running tasks. */
export type RestartChoice = 'now' | 'when-idle' | 'cancel'

export interface UpdateActions {
  check(): void
  install(): void
  runningTasks(): Promise<number>
  confirmRestart(version: string, running: number): Promise<RestartChoice>
}

export interface UpdateMenuEntry {
  readonly label: string
  readonly enabled: boolean
  readonly action: 'check' | 'restart' | null
}

export interface UpdatePolicy {
  state(): UpdateState
  /** Checks now (at start) and whenever a day has passed since the last check; call it on a timer and on wake. */
  tick(): void
  checkNow(): void
  checking(): void
  available(version: string): void
  progress(percent: number): void
  notAvailable(): void
  downloaded(version: string): void
  failed(message: string): void
  restartRequested(): Promise<void>
  /** A task started or ended: a restart waiting for the running tasks may go now. */
  tasksChanged(): Promise<void>
  menuEntry(): UpdateMenuEntry | null
}

/**
 * The feed from the settings: `generic` with the URL of the folder holding
 * latest-mac.yml, or `github` with the repository's https://github.com/owner/repo URL.
 */
export function updateFeed(provider: 'off' | 'generic' | 'github', url: string): UpdateFeed | { readonly off: string } {
  if (provider === 'off') return { off: 'updates are off (Settings → Updates)' }
  if (!url)
    return {
      off: `updates.provider is ${provider} but updates.url is empty; set it to ${provider === 'github' ? 'https://github.com/<owner>/<repo>' : 'the URL of the folder holding latest-mac.yml'}`
    }
  if (provider === 'generic') return { provider, url }
  const match = /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url)
  if (!match) return { off: `updates.url ${url} is not a GitHub repository URL; use https://github.com/<owner>/<repo>` }
  return { provider, owner: match[1] as string, repo: match[2] as string }
}

export function createUpdatePolicy(options: {
  now: () => number
  actions: UpdateActions
  onChange: (state: UpdateState) => void
  off?: string
}): UpdatePolicy {
  const { now, actions } = options
  let state: UpdateState = options.off ? { kind: 'off', reason: options.off } : { kind: 'idle' }
  let lastCheck = Number.NEGATIVE_INFINITY

  const set = (next: UpdateState): void => {
    state = next
    options.onChange(next)
  }
  /** Once an update is on its way or waiting, there is nothing to look for until the restart. */
  const busy = (): boolean => ['off', 'checking', 'downloading', 'ready', 'waiting-for-tasks'].includes(state.kind)

  const check = (): void => {
    if (busy()) return
    lastCheck = now()
    set({ kind: 'checking' })
    actions.check()
  }

  const installWhenIdle = async (version: string): Promise<void> => {
    const running = await actions.runningTasks()
    if (running === 0) actions.install()
    else set({ kind: 'waiting-for-tasks', version, running })
  }

  return {
    state: () => state,
    tick() {
      if (now() - lastCheck >= UPDATE_CHECK_INTERVAL_MS) check()
    },
    checkNow: check,
    checking() {
      if (state.kind !== 'off') set({ kind: 'checking' })
    },
    available(version) {
      set({ kind: 'downloading', version, percent: 0 })
    },
    progress(percent) {
      if (state.kind === 'downloading') set({ ...state, percent: Math.max(0, Math.min(100, Math.round(percent))) })
    },
    notAvailable() {
      set({ kind: 'up-to-date', checkedAt: now() })
    },
    downloaded(version) {
      set({ kind: 'ready', version })
    },
    failed(message) {
      // A failed check is tried again at the next daily tick, not in a loop.
      if (state.kind !== 'ready' && state.kind !== 'waiting-for-tasks') set({ kind: 'failed', message, at: now() })
    },
    async restartRequested() {
      if (state.kind !== 'ready' && state.kind !== 'waiting-for-tasks') return
      const { version } = state
      const running = await actions.runningTasks()
      if (running === 0) {
        actions.install()
        return
      }
      const choice = await actions.confirmRestart(version, running)
      if (choice === 'now') actions.install()
      else if (choice === 'when-idle') await installWhenIdle(version)
    },
    async tasksChanged() {
      if (state.kind === 'waiting-for-tasks') await installWhenIdle(state.version)
    },
    menuEntry() {
      switch (state.kind) {
        case 'off':
          return null
        case 'checking':
          return { label: 'Checking for Updates…', enabled: false, action: null }
        case 'downloading':
          return { label: `Downloading Update ${state.version} (${state.percent}%)…`, enabled: false, action: null }
        case 'ready':
          return { label: `Restart to Update (${state.version})`, enabled: true, action: 'restart' }
        case 'waiting-for-tasks':
          return {
            label: `Restart to Update Now (${state.running} running task${state.running === 1 ? '' : 's'})`,
            enabled: true,
            action: 'restart'
          }
        default:
          return { label: 'Check for Updates…', enabled: true, action: 'check' }
      }
    }
  }
}
