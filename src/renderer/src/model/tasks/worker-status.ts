import type { EngineState } from '../../../../shared/contract/tasks-contract'
import { countOf } from '../../../../shared/count-of'

/** The worker's one state as its owner sees it, the first that holds winning. */
export interface WorkerStatus {
  readonly kind: 'stopped' | 'stopping' | 'no_backend' | 'paused' | 'waiting' | 'working' | 'ready'
  readonly label: string
  readonly detail: string
}

/**
 * The pool's loop state ('running' while its loop is alive) says nothing about whether work starts:
 * a paused pool's loop is still "running". So the card shows this one status, never both.
 * `running` is the in-progress count the counters show, so the card and the counters agree.
 */
export function workerStatus(engine: EngineState, running: number, serversDown: string | null = null): WorkerStatus {
  const status = pick(engine, running, serversDown)
  return { ...status, detail: status.detail.charAt(0).toUpperCase() + status.detail.slice(1) }
}

/** `serversDown`: why no model server answers (the health monitor's reason), null while one does. */
function pick(engine: EngineState, running: number, serversDown: string | null): WorkerStatus {
  const finishing = running > 0 ? `Finishing the ${countOf(running, 'task')} in progress; ` : ''
  if (engine.state === 'stopped')
    return {
      kind: 'stopped',
      label: 'Stopped',
      detail: 'The worker has shut down with the app; nothing runs until it starts again.'
    }
  if (engine.state === 'stopping')
    return { kind: 'stopping', label: 'Stopping', detail: `${finishing || 'Shutting down; '}nothing new starts.` }
  if (!engine.processorConnected)
    return {
      kind: 'no_backend',
      label: 'No model server',
      detail: 'No model backend is connected, so new tasks wait as pending.'
    }
  if (engine.paused)
    return {
      kind: 'paused',
      label: 'Paused',
      detail: `${finishing}nothing new starts until you resume autoprocessing.`
    }
  if (engine.waiting)
    return {
      kind: 'waiting',
      label: 'Waiting',
      detail: `${running > 0 ? `${countOf(running, 'task')} in progress; ` : ''}pending tasks wait: ${engine.waiting}`
    }
  // With an empty queue the pool has nothing to plan, so it cannot say yet that no server would run a task.
  if (serversDown !== null && running === 0)
    return {
      kind: 'no_backend',
      label: 'No model server',
      detail: `${serversDown.replace(/[.\s]+$/, '')}; new tasks will wait as pending until a model server is reachable.`
    }
  if (running > 0)
    return {
      kind: 'working',
      label: 'Working',
      detail: `${countOf(running, 'task')} in progress; pending ones start as slots free up.`
    }
  return { kind: 'ready', label: 'Ready', detail: 'Nothing to do right now; a new task starts at once.' }
}
