import { resolve } from 'node:path'
import type { RunDetail, RunStartInput } from '../../../shared/contract/workflows-contract'
import { describeProjectFolderProblem, projectFolderProblem } from '../../workflows/project-folder'
import { decisionStep } from '../../../shared/decision-step'
import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import type { CoreConnection } from '../core-connection'
import { withConnection } from '../with-connection'

const EXIT_USAGE = 64
const EXIT_DATA = 65

const USAGE = `Usage:
  kos workflows list [--json]                 the workflows that can be run, and definition files that did not load
  kos workflows run WORKFLOW INPUT… [--folder DIR --test-command CMD] [--json]
                                              start a run (INPUT is what it works on); prints the run id.
                                              With --folder, the code steps' files are tested with CMD on a
                                              copy of DIR, and written into DIR only when you approve them
  kos workflows show RUN [--json]             a run's steps, packages and decisions, and its decision log's SHA-256
  kos workflows runs [--json]                 the newest runs`

/** `kos workflows …`: workflows from the command line, through the running app when there is one. */
export async function workflowsCommand(ctx: CommandContext): Promise<number> {
  const [, verb, ...rest] = ctx.args.positionals
  if (verb !== 'list' && verb !== 'run' && verb !== 'show' && verb !== 'runs') {
    ctx.err(verb ? `Unknown workflows command "${verb}".\n${USAGE}` : USAGE)
    return EXIT_USAGE
  }
  if ((verb === 'run' && rest.length < 2) || (verb === 'show' && rest.length !== 1)) {
    ctx.err(`kos workflows ${verb} got ${rest.length} argument(s).\n${USAGE}`)
    return EXIT_USAGE
  }
  if (verb !== 'run' && (ctx.args.folder !== undefined || ctx.args.testCommand !== undefined)) {
    ctx.err(`--folder and --test-command go with kos workflows run, not ${verb}.\n${USAGE}`)
    return EXIT_USAGE
  }
  const project = projectOf(ctx)
  if (!project.ok) {
    ctx.err(project.message)
    return project.exitCode
  }
  return withConnection(ctx, (connection) => {
    if (verb === 'list') return list(ctx, connection)
    if (verb === 'runs') return runs(ctx, connection)
    if (verb === 'run')
      return run(ctx, connection, {
        workflowId: rest[0] as string,
        input: rest.slice(1).join(' '),
        project: project.project
      })
    return show(ctx, connection, rest[0] as string)
  })
}

/**
 * The project of `--folder` and `--test-command`, resolved from where kos was
 * started and checked here, so a typo is named before anything is queued; a
 * message when they cannot be used.
 */
function projectOf(
  ctx: CommandContext
):
  | { readonly ok: true; readonly project: RunStartInput['project'] }
  | { readonly ok: false; readonly message: string; readonly exitCode: number } {
  const { folder, testCommand } = ctx.args
  if (folder === undefined && testCommand === undefined) return { ok: true, project: undefined }
  const usage = (message: string) => ({ ok: false as const, message, exitCode: EXIT_USAGE })
  if (folder === undefined)
    return usage(
      `--test-command "${testCommand}" needs --folder too: the project folder the command runs in, e.g. --folder ~/code/app.`
    )
  if (testCommand === undefined)
    return usage(
      `--folder "${folder}" needs --test-command too: the command that runs the project's tests there, e.g. --test-command "npm test".`
    )
  // `--folder=~/x` reaches us unexpanded, since the shell expands only a word that starts with ~.
  const absolute = resolve(folder.replace(/^~(?=$|\/)/, ctx.platform.home))
  const problem = projectFolderProblem(absolute)
  if (problem)
    return {
      ok: false,
      message: `${describeProjectFolderProblem(problem, absolute)}${absolute === folder ? '' : ` (from --folder "${folder}")`}`,
      exitCode: EXIT_DATA
    }
  return { ok: true, project: { folder: absolute, testCommand } }
}

async function list(ctx: CommandContext, connection: CoreConnection): Promise<number> {
  const result = await callOrExit(ctx, connection.client, 'workflows.list', {})
  if (!result.ok) return result.exitCode
  if (ctx.args.json) {
    ctx.out(JSON.stringify(result.value))
    return 0
  }
  for (const { definition: d, origin } of result.value.workflows)
    ctx.out(`${d.id.padEnd(20)} ${origin.padEnd(7)} ${d.steps.map((s) => s.name).join(' → ')}  ${d.title}`)
  for (const p of result.value.problems) ctx.err(`${p.file} did not load:\n  ${p.problems.join('\n  ')}`)
  ctx.out(`Your own workflows go in ${result.value.userFolder} (one JSON file each).`)
  return result.value.problems.length ? 65 : 0
}

async function runs(ctx: CommandContext, connection: CoreConnection): Promise<number> {
  const result = await callOrExit(ctx, connection.client, 'workflows.runs.list', { limit: 50 })
  if (!result.ok) return result.exitCode
  if (ctx.args.json) {
    ctx.out(JSON.stringify(result.value))
    return 0
  }
  if (result.value.runs.length === 0) ctx.out('No workflow runs yet.')
  for (const r of result.value.runs)
    ctx.out(
      `${r.id}  ${r.status.padEnd(16)}  ${r.workflowId.padEnd(18)} round ${r.round}/${r.maxRounds}  ${r.title}${r.error ? `  [${r.error}]` : ''}`
    )
  return 0
}

async function run(
  ctx: CommandContext,
  connection: CoreConnection,
  start: Pick<RunStartInput, 'workflowId' | 'input' | 'project'>
): Promise<number> {
  const result = await callOrExit(ctx, connection.client, 'workflows.run', {
    workflowId: start.workflowId,
    input: start.input,
    source: 'cli',
    ...(start.project ? { project: start.project } : {})
  })
  if (!result.ok) return result.exitCode
  if (ctx.args.json) ctx.out(JSON.stringify(result.value))
  else
    ctx.out(
      `Started ${result.value.id} (${result.value.workflowTitle}); first step: ${result.value.currentStep ?? '—'}.${start.project ? ` Its code is tested with "${start.project.testCommand}" on a copy of ${start.project.folder}.` : ''} Follow it with: kos workflows show ${result.value.id}`
    )
  return 0
}

async function show(ctx: CommandContext, connection: CoreConnection, id: string): Promise<number> {
  const detail = await callOrExit(ctx, connection.client, 'workflows.runs.get', { id })
  if (!detail.ok) return detail.exitCode
  const exported = await callOrExit(ctx, connection.client, 'workflows.decisions.export', { runId: id })
  if (!exported.ok) return exported.exitCode
  if (ctx.args.json) {
    ctx.out(
      JSON.stringify({ ...detail.value, decisionLog: { sha256: exported.value.sha256, count: exported.value.count } })
    )
    return 0
  }
  for (const line of describeRun(detail.value)) ctx.out(line)
  ctx.out(`Decision log: ${exported.value.count} rows, SHA-256 ${exported.value.sha256}`)
  return 0
}

export function describeRun({ run, steps, decisions, filed, apply }: RunDetail): string[] {
  const lines = [
    `${run.id}  ${run.workflowTitle}: ${run.title}`,
    `status ${run.status}, round ${run.round} of ${run.maxRounds}, ${run.tokensUsed} of ${run.tokenBudget} tokens${run.error ? `\n${run.error}` : ''}`,
    ''
  ]
  for (const s of steps) {
    lines.push(
      `${String(s.round).padStart(2)}.${s.attempt} ${s.step.padEnd(12)} ${s.status.padEnd(16)} ${s.model ?? ''}${s.taskId ? `  task ${s.taskId}` : ''}`
    )
    if (s.package?.summary) lines.push(`      ${s.package.summary.split('\n')[0]}`)
    if (s.files.length) lines.push(`      files tested on a copy: ${s.files.map((f) => f.path).join(', ')}`)
    for (const p of s.problems) lines.push(`      ! ${p.split('\n')[0]}`)
  }
  if (apply)
    lines.push(
      '',
      `apply ${apply.files.length} file(s) to ${apply.folder}: ${apply.status}${apply.message ? ` — ${apply.message}` : ''}`,
      ...(apply.status === 'pending'
        ? [
            `  write them: kos approvals approve ${apply.approvalId}; leave the folder: kos approvals reject ${apply.approvalId}`
          ]
        : [])
    )
  if (filed.length) lines.push('', ...filed.map((f) => `filed: ${f.title} (${f.id})`))
  lines.push('', 'Decisions:')
  for (const d of decisions)
    lines.push(
      `  ${d.at}  ${(decisionStep(d, steps) ?? '—').padEnd(12)} ${d.role.padEnd(20)} ${d.decision}: ${d.reasons[0] ?? ''}`
    )
  return lines
}
