/** What the tray, the dock and notifications show: the app's health and the work waiting for a person. */
export interface ShellStatus {
  /** `unknown` until the first health check has run: the app is starting and knows nothing yet. */
  readonly level: 'unknown' | 'ok' | 'degraded' | 'down'
  readonly reasons: readonly string[]
  /** Tasks in the manual-review queue (deferred_to_human). */
  readonly deferredCount: number
  /** Requests waiting for a person's yes or no (the approvals queue). */
  readonly approvalsPending: number
  readonly autoprocessing: 'running' | 'paused'
}

export const INITIAL_STATUS: ShellStatus = {
  level: 'unknown',
  reasons: ['Starting: checking model servers, the worker and the database'],
  deferredCount: 0,
  approvalsPending: 0,
  autoprocessing: 'running'
}

/**
 * The tray's level for a health snapshot. Before its first check the health
 * monitor reports `ok` with no components, which is no reading at all: the
 * tray says it is starting rather than healthy.
 */
export function shellHealth(health: {
  level: 'ok' | 'degraded' | 'down'
  reasons: readonly string[]
  components: readonly unknown[]
}): Pick<ShellStatus, 'level' | 'reasons'> {
  return health.components.length === 0
    ? { level: INITIAL_STATUS.level, reasons: INITIAL_STATUS.reasons }
    : { level: health.level, reasons: health.reasons }
}

/** The calls the shell makes into the core; implemented over the contract, so the shell takes the renderer's path. */
export interface ShellActions {
  open(view?: string): void
  pauseAutoprocessing(): void
  resumeAutoprocessing(): void
  returnDeferredToAutoprocessing(): void
  /** Approves or rejects every pending approval request as one batch. */
  decideAllApprovals(verdict: 'approve' | 'reject'): void
  restartOllama(): void
  /** Checks for an update, or restarts into the one downloaded (asking first if tasks are running). */
  update(action: 'check' | 'restart'): void
  quit(): void
}
