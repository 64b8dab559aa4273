/** What the tray, the dock and notifications show: the app's health and the work waiting for a person. */
export interface ShellStatus {
  readonly level: 'ok' | 'degraded' | 'down'
  readonly reasons: readonly string[]
  /** Tasks in the manual-review queue (deferred_to_human). */
  readonly deferredCount: number
  readonly autoprocessing: 'running' | 'paused'
}

export const INITIAL_STATUS: ShellStatus = { level: 'ok', reasons: [], deferredCount: 0, autoprocessing: 'running' }

/** The calls the shell makes into the core; implemented over the contract, so the shell takes the renderer's path. */
export interface ShellActions {
  open(view?: string): void
  pauseAutoprocessing(): void
  resumeAutoprocessing(): void
  returnDeferredToAutoprocessing(): void
  restartOllama(): void
  quit(): void
}
