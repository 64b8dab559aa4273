import type { HealthReport } from '../../shared/contract/models-contract'
import type { KnownFailure } from './failure-classifier'
import {
  createSupervisedProcess,
  type ProcessSpec,
  type ProcessStatus,
  type SupervisedProcess
} from './supervised-process'

export interface Supervisor {
  statuses(): ProcessStatus[]
  startProcess(id: string): Promise<ActionResult>
  stopProcess(id: string): Promise<ActionResult>
  restartProcess(id: string): Promise<ActionResult>
  /** Probes every process now (e.g. when a node scan found its server gone), instead of at the next interval. */
  recheck(): Promise<void>
  /** Called by the shell on powerMonitor resume: probe everything now, restart what died while asleep. */
  onSystemResume(): Promise<void>
  health(): HealthReport
  /** Starts watching: adopts, starts or leaves each process per its mode. */
  begin(): Promise<void>
  /** Stops every child the app started. */
  stop(): Promise<void>
}

export type ActionResult =
  | { readonly ok: true; readonly status: ProcessStatus }
  | { readonly ok: false; readonly code: 'not_found' | 'conflict'; readonly message: string }

export function createSupervisor(options: {
  specs: readonly ProcessSpec[]
  onChange: (statuses: ProcessStatus[]) => void
  onMemoryFailure: (id: string, failure: KnownFailure, line: string) => void
}): Supervisor {
  const processes = new Map<string, SupervisedProcess>()
  const statuses = (): ProcessStatus[] => [...processes.values()].map((p) => p.status())
  for (const spec of options.specs) {
    processes.set(
      spec.id,
      createSupervisedProcess(spec, {
        onChange: () => options.onChange(statuses()),
        onMemoryFailure: options.onMemoryFailure
      })
    )
  }

  async function act(
    id: string,
    action: (p: SupervisedProcess) => Promise<{ ok: true } | { ok: false; message: string } | void>
  ): Promise<ActionResult> {
    const p = processes.get(id)
    if (!p)
      return {
        ok: false,
        code: 'not_found',
        message: `There is no supervised process "${id}"; known: ${[...processes.keys()].join(', ')}.`
      }
    const result = await action(p)
    if (result && !result.ok) return { ok: false, code: 'conflict', message: result.message }
    return { ok: true, status: p.status() }
  }

  return {
    statuses,
    startProcess: (id) => act(id, (p) => p.start()),
    stopProcess: (id) => act(id, (p) => p.stop()),
    restartProcess: (id) => act(id, (p) => p.restart()),
    async recheck() {
      await Promise.all([...processes.values()].map((p) => p.reconcile(false)))
    },
    async onSystemResume() {
      await Promise.all([...processes.values()].map((p) => p.reconcile(true)))
    },
    health() {
      const reasons: string[] = []
      let level: HealthReport['level'] = 'ok'
      for (const s of statuses()) {
        if (s.state === 'needs_attention') {
          level = 'degraded'
          reasons.push(s.reason ?? `${s.label} needs attention`)
        } else if (s.state === 'restarting' || (s.state === 'not_installed' && s.mode === 'manage')) {
          level = 'degraded'
          reasons.push(s.reason ?? `${s.label} is restarting`)
        }
        if (s.warning) {
          level = 'degraded'
          reasons.push(s.warning)
        }
      }
      return { component: 'supervisor', level, reasons }
    },
    async begin() {
      await Promise.all([...processes.values()].map((p) => p.reconcile()))
    },
    async stop() {
      await Promise.all([...processes.values()].map((p) => p.shutdown()))
    }
  }
}
