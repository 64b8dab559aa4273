import type { RunApply, WorkflowStep } from '../../shared/contract/workflows-contract'
import type { Logger } from '../log/logger'
import type { Approvals, ApprovalVerdict } from '../ports/approvals'
import type { DecisionRecord } from '../ports/decision-log'
import type { ApplyStore, StoredApply } from './apply-store'
import { codeFilesOf } from './code-files'
import type { StoredRun, StoredStep, WorkflowStore } from './workflow-store'
import { applyFiles } from './workspace-files'

export interface ApplyGateDeps {
  readonly store: WorkflowStore
  readonly applies: ApplyStore
  readonly approvals: Approvals | null
  readonly resolvePath: (path: string) => string
  readonly record: (run: StoredRun, step: StoredStep | null, d: Omit<DecisionRecord, 'runId' | 'correlationId'>) => void
  readonly emit: (runId: string) => void
  readonly log: Logger
}

const plural = (n: number): string => `${n} file${n === 1 ? '' : 's'}`

/**
 * The last step of an accepted run that wrote code: its files go into the
 * person's folder only when they approve "Apply N files from run X to
 * /path" in the approvals queue; rejecting leaves the folder as it was. The
 * request is a row, so a restart waits for the same approval.
 */
export function createApplyGate(deps: ApplyGateDeps) {
  const { store, applies } = deps
  const waits = new Map<string, () => void>()

  /** The latest passed step with tests that wrote files, and its declaration. */
  function codeStep(
    run: StoredRun
  ): { row: StoredStep; step: WorkflowStep & { tests: NonNullable<WorkflowStep['tests']> } } | null {
    const rows = store.steps(run.id).filter((s) => s.status === 'passed' && s.files.length > 0)
    for (const row of rows.reverse()) {
      const step = run.definition.steps.find((s) => s.name === row.step)
      if (step?.tests) return { row, step: { ...step, tests: step.tests } }
    }
    return null
  }

  async function decide(runId: string, verdict: ApprovalVerdict): Promise<void> {
    const apply = applies.get(runId)
    const run = store.getRun(runId)
    if (!apply || apply.status !== 'pending' || !run || run.status !== 'waiting_approval') return
    const row = store.steps(runId).find((s) => s.id === apply.stepId)
    const who = `${verdict.by}${verdict.note ? `: ${verdict.note}` : ''}`
    if (verdict.status === 'rejected' || !row) {
      const message = row
        ? `Rejected by ${who}. ${apply.folder} was left as it was; the files stay in the "${row.step}" package.`
        : `The step that wrote the files is gone from run ${runId}; nothing was written.`
      store.transaction(() => {
        if (!applies.settle(runId, row ? 'rejected' : 'failed', message)) return
        store.updateRun(runId, { status: 'cancelled', error: `Applying the files: ${message}` })
        deps.record(run, row ?? null, {
          taskId: row?.taskId ?? null,
          step: row?.step ?? null,
          role: 'workflow',
          decision: 'not_applied',
          kind: 'approval',
          reasons: [message],
          model: null
        })
      })
      return
    }
    const wanted = new Map(row.files.map((f) => [f.path, f]))
    const files = codeFilesOf(row.package?.artifacts ?? [])
      .files.filter((f) => wanted.has(f.path))
      .map((f) => ({ ...f, baseSha256: wanted.get(f.path)?.baseSha256 ?? null }))
    const outcome =
      files.length === wanted.size
        ? await applyFiles(apply.folder, files)
        : { ok: false as const, message: `The stored package of "${row.step}" no longer holds every file it tested.` }
    const message = outcome.ok
      ? `Wrote ${plural(files.length)} (${files.map((f) => f.path).join(', ')}) to ${apply.folder}, approved by ${who}.`
      : `Nothing was written to ${apply.folder}: ${outcome.message}`
    store.transaction(() => {
      if (!applies.settle(runId, outcome.ok ? 'applied' : 'failed', message)) return
      store.updateRun(
        runId,
        outcome.ok
          ? { status: 'completed', error: null }
          : { status: 'failed', error: `Applying the files: ${message}` }
      )
      deps.record(run, row, {
        taskId: row.taskId,
        step: row.step,
        role: 'workflow',
        decision: outcome.ok ? 'applied' : 'apply_failed',
        kind: 'approval',
        reasons: [message],
        model: null
      })
    })
    if (!outcome.ok) deps.log.warn('workflow files not applied', { run_id: runId, reason: outcome.message })
  }

  function wait(apply: StoredApply): void {
    if (!deps.approvals || waits.has(apply.runId)) return
    let settled = false
    const off = deps.approvals.onDecided(apply.approvalId, (verdict) => {
      settled = true
      waits.get(apply.runId)?.()
      waits.delete(apply.runId)
      void decide(apply.runId, verdict)
        .catch((error: unknown) =>
          deps.log.error('workflow files could not be applied', { run_id: apply.runId, error: String(error) })
        )
        .finally(() => deps.emit(apply.runId))
    })
    if (settled) off()
    else waits.set(apply.runId, off)
  }

  return {
    /**
     * Called (in the hand-off's transaction) when a run would complete: asks for
     * the apply when the run wrote files, and says whether the run now waits.
     */
    request(run: StoredRun): boolean {
      const found = codeStep(run)
      if (!found) return false
      const { row, step } = found
      const folder = deps.resolvePath(step.tests.cwd)
      if (!deps.approvals) {
        deps.record(run, row, {
          taskId: row.taskId,
          step: row.step,
          role: 'workflow',
          decision: 'not_applied',
          kind: 'approval',
          reasons: [`This app has no approval queue running, so the files were not written to ${folder}.`],
          model: null
        })
        return false
      }
      const title = `Apply ${plural(row.files.length)} from run "${run.title}" (${run.id}) to ${folder}`
      const approvalId = deps.approvals.request({
        runId: run.id,
        taskId: row.taskId,
        // No step name holds ":", so this never shares a request with a step's own approval.
        step: `${row.step}:apply`,
        title,
        reason: `The reviewer accepted the work and its tests passed on a copy of the folder. Approving writes ${row.files.map((f) => f.path).join(', ')} into ${folder}; rejecting leaves it as it is.`,
        correlationId: run.correlationId
      })
      applies.request(run.id, row.id, folder, approvalId)
      store.updateRun(run.id, { status: 'waiting_approval', error: null })
      deps.record(run, row, {
        taskId: row.taskId,
        step: row.step,
        role: 'workflow',
        decision: 'apply_requested',
        kind: 'approval',
        reasons: [title],
        model: null
      })
      const apply = applies.get(run.id)
      if (apply) wait(apply)
      return true
    },
    /** After a restart: waits again for every pending apply of a run still waiting. */
    resume(run: StoredRun): void {
      const apply = applies.get(run.id)
      if (apply?.status === 'pending') wait(apply)
    },
    cancel(runId: string): void {
      waits.get(runId)?.()
      waits.delete(runId)
      const apply = applies.get(runId)
      const why = 'The run was cancelled before the files were applied; nothing was written.'
      // The request leaves the queue too: approving it later would do nothing.
      if (apply && applies.settle(runId, 'cancelled', why)) deps.approvals?.withdraw(apply.approvalId, why)
    },
    view(runId: string): RunApply | null {
      const apply = applies.get(runId)
      if (!apply) return null
      const row = store.steps(runId).find((s) => s.id === apply.stepId)
      return {
        approvalId: apply.approvalId,
        folder: apply.folder,
        step: row?.step ?? '',
        files: row?.files.map((f) => f.path) ?? [],
        status: apply.status,
        message: apply.message,
        requestedAt: apply.requestedAt,
        decidedAt: apply.decidedAt
      }
    },
    stop(): void {
      for (const off of waits.values()) off()
      waits.clear()
    }
  }
}

export type ApplyGate = ReturnType<typeof createApplyGate>
