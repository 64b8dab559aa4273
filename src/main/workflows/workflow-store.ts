import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import {
  HandoffPackageSchema,
  WorkflowDefinitionSchema,
  type HandoffPackage,
  type RunSource,
  type RunStatus,
  type RunStep,
  type RunSummary,
  type StepStatus,
  type WorkflowDefinition
} from '../../shared/contract/workflows-contract'
import type { Db } from '../db/database'
import { afterCursor, cursorAfter, type PageRequest } from '../db/keyset'
import { firstWord } from './handoff-package'
import type { WrittenFile } from './workspace-files'

export type TokensCounted = 'backend' | 'estimate'

interface RunRow {
  id: string
  workflow_id: string
  definition: string
  title: string
  input: string
  status: RunStatus
  round: number
  tokens_used: number
  source: RunSource
  message_id: string | null
  error: string | null
  correlation_id: string
  created_at: string
  updated_at: string
}

interface StepRow {
  id: string
  run_id: string
  seq: number
  step: string
  round: number
  attempt: number
  status: StepStatus
  task_id: string | null
  approval_id: string | null
  prompt: string
  model: string | null
  package: string | null
  problems: string
  tokens: number
  tokens_counted: TokensCounted | null
  files: string
  started_at: string
  finished_at: string | null
}

/** A run as the runner works with it: the definition it started with travels with it, so editing a file never changes a run under way. */
export interface StoredRun {
  readonly id: string
  readonly definition: WorkflowDefinition
  readonly title: string
  readonly input: string
  readonly status: RunStatus
  readonly round: number
  readonly tokensUsed: number
  readonly source: RunSource
  readonly messageId: string | null
  readonly error: string | null
  readonly correlationId: string
  readonly createdAt: string
  readonly updatedAt: string
}

export interface StoredStep {
  readonly id: string
  readonly runId: string
  readonly seq: number
  readonly step: string
  readonly round: number
  readonly attempt: number
  readonly status: StepStatus
  readonly taskId: string | null
  readonly approvalId: string | null
  readonly prompt: string
  readonly model: string | null
  readonly package: HandoffPackage | null
  readonly problems: readonly string[]
  readonly tokens: number
  readonly tokensCounted: TokensCounted | null
  /** The code files it wrote into its scratch copy (a step with tests), empty otherwise. */
  readonly files: readonly WrittenFile[]
  readonly startedAt: string
  readonly finishedAt: string | null
}

export interface NewStep {
  readonly step: string
  readonly round: number
  readonly attempt: number
  readonly status: StepStatus
  readonly taskId: string | null
  readonly approvalId?: string | null
  readonly prompt: string
  /** The prompt's tokens, counted when the step starts. */
  readonly tokens: number
}

export interface StepUpdate {
  readonly status: StepStatus
  readonly model?: string | null
  readonly package?: HandoffPackage | null
  readonly problems?: readonly string[]
  /** Added to the step's tokens (negative when real counts replace the prompt's estimate). */
  readonly tokens?: number
  readonly tokensCounted?: TokensCounted
  readonly files?: readonly WrittenFile[]
  readonly taskId?: string | null
  readonly finished?: boolean
}

const Problems = z.array(z.string())
const Files = z.array(
  z.strictObject({ path: z.string(), bytes: z.number(), sha256: z.string(), baseSha256: z.string().nullable() })
)

const toRun = (row: RunRow): StoredRun => ({
  id: row.id,
  definition: WorkflowDefinitionSchema.parse(JSON.parse(row.definition)),
  title: row.title,
  input: row.input,
  status: row.status,
  round: row.round,
  tokensUsed: row.tokens_used,
  source: row.source,
  messageId: row.message_id,
  error: row.error,
  correlationId: row.correlation_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at
})

const toStep = (row: StepRow): StoredStep => ({
  id: row.id,
  runId: row.run_id,
  seq: row.seq,
  step: row.step,
  round: row.round,
  attempt: row.attempt,
  status: row.status,
  taskId: row.task_id,
  approvalId: row.approval_id,
  prompt: row.prompt,
  model: row.model,
  package: row.package === null ? null : HandoffPackageSchema.parse(JSON.parse(row.package)),
  problems: Problems.parse(JSON.parse(row.problems)),
  tokens: row.tokens,
  tokensCounted: row.tokens_counted,
  files: Files.parse(JSON.parse(row.files)),
  startedAt: row.started_at,
  finishedAt: row.finished_at
})

export function runSummary(run: StoredRun, current: StoredStep | null): RunSummary {
  return {
    id: run.id,
    workflowId: run.definition.id,
    workflowTitle: run.definition.title,
    title: run.title,
    status: run.status,
    // A run that waits while its last step has passed waits for its files to be applied (apply-gate.ts).
    currentStep: run.status === 'waiting_approval' && current?.status === 'passed' ? 'apply' : (current?.step ?? null),
    round: run.round,
    maxRounds: run.definition.maxRounds,
    tokensUsed: run.tokensUsed,
    tokenBudget: run.definition.tokenBudget,
    source: run.source,
    error: run.error,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt
  }
}

export function stepView(step: StoredStep, definition: WorkflowDefinition): RunStep {
  const declared = definition.steps.find((s) => s.name === step.step)
  return {
    id: step.id,
    step: step.step,
    role: declared?.role ?? step.step,
    kind: declared?.kind ?? 'general',
    round: step.round,
    attempt: step.attempt,
    status: step.status,
    taskId: step.taskId,
    model: step.model,
    package: step.package,
    verdict:
      declared?.review && step.package
        ? firstWord(step.package.fields[declared.review.verdictField] ?? '') || null
        : null,
    problems: [...step.problems],
    tokens: step.tokens,
    tokensCounted: step.tokensCounted,
    files: step.files.map((f) => ({ path: f.path, bytes: f.bytes, isNew: f.baseSha256 === null })),
    startedAt: step.startedAt,
    finishedAt: step.finishedAt
  }
}

/** Runs, their steps and what they filed, in SQLite. Writes are plain statements; the runner groups them in transactions. */
export function createWorkflowStore(db: Db, now: () => Date = () => new Date()) {
  const iso = (): string => now().toISOString()
  const insertRun = db.prepare(`INSERT INTO workflow_runs
    (id, workflow_id, definition, title, input, status, round, tokens_used, source, message_id, error, correlation_id, created_at, updated_at)
    VALUES (@id, @workflow_id, @definition, @title, @input, 'running', 1, 0, @source, @message_id, NULL, @correlation_id, @at, @at)`)
  const runById = db.prepare<[string], RunRow>('SELECT * FROM workflow_runs WHERE id = ?')
  const activeRuns = db.prepare<[], RunRow>(
    "SELECT * FROM workflow_runs WHERE status IN ('running', 'waiting_approval') ORDER BY created_at"
  )
  const stepsOf = db.prepare<[string], StepRow>('SELECT * FROM workflow_steps WHERE run_id = ? ORDER BY seq')
  const lastStep = db.prepare<[string], StepRow>(
    'SELECT * FROM workflow_steps WHERE run_id = ? ORDER BY seq DESC LIMIT 1'
  )
  const insertStep = db.prepare(`INSERT INTO workflow_steps
    (id, run_id, seq, step, round, attempt, status, task_id, approval_id, prompt, tokens, started_at)
    VALUES (@id, @run_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM workflow_steps WHERE run_id = @run_id), @step, @round, @attempt, @status, @task_id, @approval_id, @prompt, @tokens, @at)`)
  const stepById = db.prepare<[string], StepRow>('SELECT * FROM workflow_steps WHERE id = ?')
  const filedOf = db.prepare<[string], { node_id: string; title: string }>(
    'SELECT node_id, title FROM workflow_filed WHERE run_id = ? ORDER BY rowid'
  )
  // The librarian's entry is updated in place on later rounds: the same node, its title as filed last.
  const insertFiled = db.prepare(
    'INSERT INTO workflow_filed (run_id, node_id, title) VALUES (?, ?, ?) ON CONFLICT (run_id, node_id) DO UPDATE SET title = excluded.title'
  )

  function page(filter: PageRequest & { status?: RunStatus | undefined }): {
    runs: StoredRun[]
    nextCursor: string | null
  } {
    const conditions: string[] = []
    const params: (string | number)[] = []
    if (filter.cursor) {
      const after = afterCursor('workflow_runs', 'r', 'created_at', filter.cursor)
      conditions.push(after.sql)
      params.push(...after.params)
    }
    if (filter.status) {
      conditions.push('r.status = ?')
      params.push(filter.status)
    }
    const rows = db
      .prepare<(string | number)[], RunRow>(
        `SELECT r.* FROM workflow_runs r ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
         ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`
      )
      .all(...params, filter.limit + 1)
    const runs = rows.slice(0, filter.limit).map(toRun)
    const last = runs.at(-1)
    return {
      runs,
      nextCursor: cursorAfter(last ? { id: last.id, at: last.createdAt } : undefined, rows.length > filter.limit)
    }
  }

  return {
    createRun(input: {
      definition: WorkflowDefinition
      title: string
      input: string
      source: RunSource
      messageId: string | null
      correlationId: string
    }): StoredRun {
      const id = `run_${randomUUID().replaceAll('-', '').slice(0, 16)}`
      insertRun.run({
        id,
        workflow_id: input.definition.id,
        definition: JSON.stringify(input.definition),
        title: input.title,
        input: input.input,
        source: input.source,
        message_id: input.messageId,
        correlation_id: input.correlationId,
        at: iso()
      })
      return toRun(runById.get(id) as RunRow)
    },
    getRun(id: string): StoredRun | null {
      const row = runById.get(id)
      return row ? toRun(row) : null
    },
    activeRuns: (): StoredRun[] => activeRuns.all().map(toRun),
    page,
    updateRun(
      id: string,
      patch: { status?: RunStatus; round?: number; addTokens?: number; error?: string | null }
    ): void {
      db.prepare(
        `UPDATE workflow_runs SET status = COALESCE(@status, status), round = COALESCE(@round, round),
           tokens_used = tokens_used + @add, error = CASE WHEN @set_error THEN @error ELSE error END, updated_at = @at
         WHERE id = @id`
      ).run({
        id,
        status: patch.status ?? null,
        round: patch.round ?? null,
        add: patch.addTokens ?? 0,
        set_error: patch.error !== undefined ? 1 : 0,
        error: patch.error ?? null,
        at: iso()
      })
    },
    steps: (runId: string): StoredStep[] => stepsOf.all(runId).map(toStep),
    lastStep(runId: string): StoredStep | null {
      const row = lastStep.get(runId)
      return row ? toStep(row) : null
    },
    addStep(runId: string, step: NewStep): StoredStep {
      const id = `stp_${randomUUID().replaceAll('-', '').slice(0, 16)}`
      insertStep.run({
        id,
        run_id: runId,
        step: step.step,
        round: step.round,
        attempt: step.attempt,
        status: step.status,
        task_id: step.taskId,
        approval_id: step.approvalId ?? null,
        prompt: step.prompt,
        tokens: step.tokens,
        at: iso()
      })
      return toStep(stepById.get(id) as StepRow)
    },
    updateStep(id: string, update: StepUpdate): void {
      db.prepare(
        `UPDATE workflow_steps SET status = @status,
           model = CASE WHEN @set_model THEN @model ELSE model END,
           package = CASE WHEN @set_package THEN @package ELSE package END,
           problems = COALESCE(@problems, problems), tokens = tokens + @tokens,
           tokens_counted = COALESCE(@tokens_counted, tokens_counted), files = COALESCE(@files, files),
           task_id = CASE WHEN @set_task THEN @task_id ELSE task_id END,
           finished_at = CASE WHEN @finished THEN @at ELSE finished_at END
         WHERE id = @id`
      ).run({
        id,
        status: update.status,
        set_model: update.model !== undefined ? 1 : 0,
        model: update.model ?? null,
        set_package: update.package !== undefined ? 1 : 0,
        package: update.package ? JSON.stringify(update.package) : null,
        problems: update.problems ? JSON.stringify(update.problems) : null,
        tokens: update.tokens ?? 0,
        tokens_counted: update.tokensCounted ?? null,
        files: update.files ? JSON.stringify(update.files) : null,
        set_task: update.taskId !== undefined ? 1 : 0,
        task_id: update.taskId ?? null,
        finished: update.finished ? 1 : 0,
        at: iso()
      })
    },
    stepByTask(taskId: string): StoredStep | null {
      const row = db.prepare<[string], StepRow>('SELECT * FROM workflow_steps WHERE task_id = ?').get(taskId)
      return row ? toStep(row) : null
    },
    filed: (runId: string) => filedOf.all(runId).map((r) => ({ id: r.node_id, title: r.title })),
    addFiled(runId: string, nodeId: string, title: string): void {
      insertFiled.run(runId, nodeId, title)
    },
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)()
    }
  }
}

export type WorkflowStore = ReturnType<typeof createWorkflowStore>
