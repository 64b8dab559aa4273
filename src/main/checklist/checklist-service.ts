import type { ChecklistRun, PlaybookRuleView } from '../../shared/contract/checklist-contract'
import type { TaskErrorType } from '../../shared/contract/tasks-contract'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import { storageFailureOf } from '../platform/storage-failure'
import { refuse, Refusal } from '../rpc/refusal'
import type { CheckDefinition, FixId } from './check-definition'
import { runChecks, verdictOf } from './check-runner'
import type { ChecklistStore, StoredRun } from './checklist-store'
import { tailLines } from './log-tail'
import { matchPlaybook, ruleForErrorType } from './playbook'

/** Each fix says what it did, or returns the Refusal of the call it made (what a person would have seen clicking it). */
export type Fixes = Partial<Record<FixId, () => Promise<string | Refusal>>>

export interface ChecklistDeps {
  readonly checks: readonly CheckDefinition[]
  readonly store: ChecklistStore
  readonly events: EventBus
  readonly log: Logger
  readonly now: () => Date
  readonly logFile: string
  /** Task attempts that failed, by error type, for the playbook. */
  readonly errorTypes: () => Promise<Readonly<Record<string, number>>>
  readonly fixes: Fixes
  /** Why a fix cannot work on this host right now, as the step a person takes instead; null (or absent) when it can. */
  readonly fixBlocked?: (id: FixId) => string | null
  readonly intervalMinutes: () => number
  readonly checkTimeoutMs: number
}

export interface ChecklistService {
  run(trigger: ChecklistRun['trigger']): Promise<ChecklistRun>
  latest(): ChecklistRun | null
  history(limit: number): StoredRun[]
  fix(id: FixId): Promise<{ message: string; run: ChecklistRun } | Refusal>
  /** The playbook rule of a task's error type, its fix offered only if this host has it. */
  ruleFor(type: TaskErrorType): PlaybookRuleView
  /**
   * Runs once as soon as `ready` settles (the first model scan: run before it, the model and
   * embedding checks would contradict the Models view until the next run), then every
   * checklist.intervalMin minutes; re-reads the interval after each run.
   */
  start(ready?: Promise<unknown>): void
  /** Stops the schedule and waits for a run in progress, so nothing touches the store after the core closes it. */
  stop(): Promise<void>
}

interface FollowUp {
  trigger: ChecklistRun['trigger']
  readonly promise: Promise<ChecklistRun>
}

/** Events after which the start run is repeated while its model or knowledge checks did not pass. */
const SETTLING_EVENTS: ReadonlySet<string> = new Set(['models.changed', 'knowledge.changed'])
const SETTLING_AREAS: ReadonlySet<string> = new Set(['models', 'knowledge'])
/** Bounds the repeats when a part never settles (a node that stays down): the schedule takes over. */
const SETTLING_RERUNS = 5

/**
 * Runs the checklist on start, on demand and on a schedule, matches the
 * failure playbook against what it found and the recent log, stores every
 * run, and pushes it to every window. A run asked for (Run all, a fix) reads
 * what is true after the request: one that arrives while a run is going waits for
 * one more run after it, which every later request shares; the background runs
 * (start, schedule) take the run that is going.
 */
export function createChecklistService(deps: ChecklistDeps): ChecklistService {
  const available = new Set(Object.keys(deps.fixes) as FixId[])
  const blockedBy = (id: FixId): string | null => (available.has(id) ? (deps.fixBlocked?.(id) ?? null) : null)
  // Asked at each use: whether a fix can work changes with the settings (the app running Ollama or not).
  const availableNow = (): Set<FixId> => new Set([...available].filter((id) => blockedBy(id) === null))
  const withFixes = (run: StoredRun): ChecklistRun => ({ ...run, availableFixes: [...availableNow()].sort() })
  let inFlight: Promise<ChecklistRun> | null = null
  /** The run after the one going, shared by every request that arrives meanwhile; 'fix' names it once any asks for it. */
  let followUp: FollowUp | null = null
  /** The newest run when the disk refused to store it: still the latest, until a run is stored again. */
  let unstored: StoredRun | null = null
  let timer: NodeJS.Timeout | null = null
  let stopped = false
  let stopSettling: () => void = () => undefined

  const execute = async (trigger: ChecklistRun['trigger']): Promise<ChecklistRun> => {
    const startedAt = deps.now().toISOString()
    const results = await runChecks(deps.checks, { timeoutMs: deps.checkTimeoutMs, now: deps.now })
    const playbook = matchPlaybook(
      {
        checks: results,
        logLines: await tailLines(deps.logFile),
        errorTypes: await deps.errorTypes().catch(() => ({}))
      },
      availableNow()
    )
    const finished = {
      trigger,
      startedAt,
      finishedAt: deps.now().toISOString(),
      verdict: verdictOf(results),
      results,
      playbook
    }
    let stored: StoredRun
    try {
      stored = deps.store.save(finished)
      unstored = null
    } catch (error) {
      if (!storageFailureOf(error)) throw error
      // On a full disk the run is still shown (its free-space check says why), only not kept: id 0.
      deps.log.warn('checklist run not stored: the disk refused the write', { error })
      stored = unstored = { id: 0, ...finished }
    }
    const run = withFixes(stored)
    const notPassing = results.filter((r) => r.status !== 'pass').map((r) => `${r.id}=${r.status}`)
    deps.log.info('checklist run', {
      run: run.id,
      trigger,
      verdict: run.verdict,
      not_passing: notPassing,
      playbook: playbook.map((m) => m.ruleId)
    })
    deps.events.emit('checklist.completed', run)
    return run
  }

  const begin = (trigger: ChecklistRun['trigger']): Promise<ChecklistRun> =>
    (inFlight = execute(trigger).finally(() => {
      inFlight = null
    }))

  const run = (trigger: ChecklistRun['trigger']): Promise<ChecklistRun> => {
    if (followUp) {
      if (trigger === 'fix') followUp.trigger = 'fix'
      return followUp.promise
    }
    if (!inFlight) return begin(trigger)
    // A fix's run started before the fix, or Run all's before the click, would show what is no longer so.
    if (trigger === 'start' || trigger === 'schedule') return inFlight
    const next: FollowUp = {
      trigger,
      promise: inFlight
        .catch(() => undefined)
        .then(() => {
          followUp = null
          return begin(next.trigger)
        })
    }
    followUp = next
    return next.promise
  }

  const unsettled = (r: ChecklistRun): boolean =>
    r.results.some((c) => c.status !== 'pass' && SETTLING_AREAS.has(c.area))

  /**
   * Right after start the model servers and the embedding worker are still taking their first look:
   * while the start run's model or knowledge checks did not pass, each change they announce runs it
   * again, so the checklist (and `kos status`) agree with the Models and Knowledge views at once.
   */
  function settle(first: ChecklistRun): void {
    if (!unsettled(first)) return
    let reruns = 0
    let again = false
    let running = false
    const rerun = (): void => {
      if (running) {
        again = true
        return
      }
      running = true
      reruns++
      void run('start')
        .then((r) => {
          if (!unsettled(r) || reruns >= SETTLING_RERUNS) stopSettling()
        })
        .catch((error: unknown) => deps.log.error('checklist rerun at start failed', { error }))
        .finally(() => {
          running = false
          if (again && !stopped) {
            again = false
            rerun()
          }
        })
    }
    const unsubscribe = deps.events.subscribe((frame) => {
      if (SETTLING_EVENTS.has(frame.name)) rerun()
    })
    stopSettling = () => {
      unsubscribe()
      again = false
      stopSettling = () => undefined
    }
  }

  const schedule = (): void => {
    if (stopped) return
    const minutes = deps.intervalMinutes()
    if (minutes <= 0) return
    timer = setTimeout(() => {
      void run('schedule')
        .catch((error: unknown) => deps.log.error('scheduled checklist run failed', { error }))
        .finally(schedule)
    }, minutes * 60_000)
    timer.unref()
  }

  return {
    run,
    latest: () => {
      const stored = unstored ?? deps.store.latest()
      return stored ? withFixes(stored) : null
    },
    history: (limit) => deps.store.recent(limit),
    ruleFor: (type) => ruleForErrorType(type, availableNow(), blockedBy),
    async fix(id) {
      const action = deps.fixes[id]
      if (!action) return refuse('unavailable', `The fix "${id}" is not available in this build or on this host.`)
      const blocked = blockedBy(id)
      if (blocked) return refuse('unavailable', blocked)
      const message = await action()
      if (message instanceof Refusal) return message
      deps.log.info('checklist fix applied', { fix: id, message })
      return { message, run: await run('fix') }
    },
    start(ready = Promise.resolve()) {
      // A failed scan is still a scan: the checks then say what it found.
      void ready
        .catch(() => undefined)
        .then(async () => {
          if (stopped) return
          settle(await run('start'))
        })
        .catch((error: unknown) => deps.log.error('checklist run at start failed', { error }))
        .finally(schedule)
    },
    async stop() {
      stopped = true
      stopSettling()
      if (timer) clearTimeout(timer)
      await followUp?.promise.catch(() => undefined)
      await inFlight?.catch(() => undefined)
    }
  }
}
