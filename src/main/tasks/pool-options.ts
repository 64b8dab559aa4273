import type { BackendLimits } from '../ports/backend-limits'
import type { WalSync } from '../db/wal-sync'
import type { Logger } from '../log/logger'
import type { TaskEvent, TasksChanged } from '../../shared/contract/tasks-contract'
import type { TaskStore } from './task-store'
import type { HeldClaimsMark } from './held-claims-mark'

/** The pool's knobs, read again at every group commit so a changed setting applies at once. */
export interface PoolSettings {
  readonly concurrency: number
  readonly maxAttempts: number
  readonly retryDelaySec: number
  readonly retryBackoff: number
  readonly retryJitter: number
  readonly stuckMs: number
  readonly heartbeatMs: number
  readonly requestTimeoutMs: number
  readonly minAnswerChars: number
  readonly minValidatorScore: number
  readonly heavyPerBackend: number
  /** How far back a failure can be taken for the backend's once the processor says the backend fails every request (its circuit window). */
  readonly backendWindowMs: number
}

export interface PoolOptions {
  readonly store: TaskStore
  readonly wal: Pick<WalSync, 'commitUnflushed' | 'whenDurable'>
  readonly owner: string
  readonly settings: () => PoolSettings
  /** Called with the events of each committed transaction. */
  readonly publish: (events: readonly TaskEvent[], changed: TasksChanged) => void
  readonly log: Logger
  readonly now?: () => number
  /** The clock run deadlines are measured on; it must not advance while the machine sleeps (performance.now does not). */
  readonly monotonic?: () => number
  readonly random?: () => number
  /** How often an idle pool looks for tasks whose retry time has come. */
  readonly pollMs?: number
  /**
   * Told, for each task started, its claim latency: from the later of its
   * slot freeing (or the pool starting) and work being signalled (a task
   * created, a wake), to its processor starting. For bench:queue.
   */
  readonly observeClaim?: (waitMs: number) => void
  /** False: at most `concurrency` tasks are leased at a time, none claimed ahead (bench:queue's inFlight mode). */
  readonly claimAhead?: boolean
  /** Told when the reason pending tasks wait (no server could run them) appears, changes or clears: windows show it without asking. */
  readonly onWaitingChanged?: () => void
  /** Why nothing new may be claimed now (e.g. the disk is nearly full), or null; asked at every group commit. */
  readonly holdClaims?: () => string | null
  /** The mark of claims held unwritten (Lease.held); without it every claim is written before its run starts. */
  readonly heldClaims?: HeldClaimsMark
  /** Per-node caps (MLX one at a time by default); without them every backend gets heavyPerBackend. */
  readonly backendLimits?: BackendLimits
}
