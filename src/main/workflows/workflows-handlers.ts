import { isAbsolute } from 'node:path'
import type { PolicyViolation, WorkflowDefinition } from '../../shared/contract/workflows-contract'
import { refuse, type Refusal } from '../rpc/refusal'
import type { HandlersFor } from '../rpc/handler-types'
import type { LoadedDefinitions } from './definition-loader'
import { parseAnswer } from './handoff-package'
import { describeProjectFolderProblem, projectFolderProblem } from './project-folder'
import { citationViolations, requestedTools, secretViolations, toolViolations } from './policies'
import type { WorkflowRunner } from './workflow-runner'
import { runSummary, stepView, type WorkflowStore } from './workflow-store'
import type { DecisionLogStore } from './decision-log-store'

export interface WorkflowsService {
  readonly store: WorkflowStore
  readonly decisions: DecisionLogStore
  readonly runner: WorkflowRunner
  definitions(): LoadedDefinitions
  readonly userFolder: string
}

function findDefinition(service: WorkflowsService, id: string): WorkflowDefinition | Refusal {
  const loaded = service.definitions()
  const found = loaded.workflows.find((w) => w.definition.id === id)
  if (found) return found.definition
  const broken = loaded.problems.find((p) => p.file.endsWith(`${id}.json`))
  return refuse(
    'not_found',
    broken
      ? `The workflow "${id}" did not load (${broken.file}): ${broken.problems.join(' ')}`
      : `There is no workflow "${id}". Pick one of: ${loaded.workflows.map((w) => w.definition.id).join(', ')}.`
  )
}

/** The definition with its code steps tested on the given project folder; refused when that cannot be. */
function onProject(
  definition: WorkflowDefinition,
  project: { readonly folder: string; readonly testCommand: string }
): WorkflowDefinition | Refusal {
  const issue = (message: string) => refuse('invalid_input', message, { issues: [{ path: 'project.folder', message }] })
  if (!isAbsolute(project.folder))
    return issue(
      `The project folder "${project.folder}" is not a full path; give it from the root, e.g. /Users/me/app.`
    )
  const problem = projectFolderProblem(project.folder)
  if (problem) return issue(describeProjectFolderProblem(problem, project.folder))
  if (!definition.steps.some((s) => s.kind === 'code'))
    return issue(`The workflow "${definition.id}" has no code step to test on a project; pick one that writes code.`)
  return {
    ...definition,
    steps: definition.steps.map((s) =>
      s.kind === 'code'
        ? {
            ...s,
            tests: {
              ...s.tests,
              timeoutSec: s.tests?.timeoutSec ?? 300,
              command: project.testCommand,
              cwd: project.folder
            }
          }
        : s
    )
  }
}

/** A title for a run from its input's first line, when none is given. */
const titleOf = (input: string): string => {
  const line =
    input
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? input.trim()
  return line.length > 80 ? `${line.slice(0, 79)}…` : line
}

export function workflowsHandlers(service: WorkflowsService): HandlersFor<'workflows'> {
  const { store, runner } = service
  const summaryOf = (id: string) => {
    const run = store.getRun(id)
    return run ? runSummary(run, store.lastStep(id)) : null
  }
  return {
    'workflows.list': () => ({ ...service.definitions(), userFolder: service.userFolder }),
    'workflows.run': (input, ctx) => {
      const definition = findDefinition(service, input.workflowId)
      if (!('steps' in definition)) return definition
      const secrets = secretViolations(input.input, 'input')
      if (secrets.length) {
        ctx.log.warn('workflow run refused: a secret in its input', { workflow: input.workflowId })
        return refuse('invalid_input', secrets.map((v) => v.message).join(' '), {
          issues: secrets.map((v) => ({ path: 'input', message: v.message }))
        })
      }
      const withProject = input.project ? onProject(definition, input.project) : definition
      if (!('steps' in withProject)) return withProject
      const run = runner.start({
        definition: withProject,
        input: input.input,
        title: input.title ?? titleOf(input.input),
        source: input.source,
        messageId: input.messageId ?? null,
        correlationId: ctx.correlationId
      })
      return summaryOf(run.id) ?? refuse('internal', `Run ${run.id} vanished as it started.`)
    },
    'workflows.runs.list': (filter) => {
      const page = store.page(filter)
      return { runs: page.runs.map((r) => runSummary(r, store.lastStep(r.id))), nextCursor: page.nextCursor }
    },
    'workflows.runs.get': ({ id }) => {
      const run = store.getRun(id)
      if (!run) return refuse('not_found', `There is no workflow run "${id}"; pick one from the list of runs.`)
      return {
        run: runSummary(run, store.lastStep(id)),
        input: run.input,
        steps: store.steps(id).map((s) => stepView(s, run.definition)),
        decisions: service.decisions.forRun(id),
        filed: store.filed(id),
        apply: runner.applyOf(id)
      }
    },
    'workflows.runs.cancel': async ({ id }) => {
      const run = await runner.cancel(id)
      if (!run) return refuse('not_found', `There is no workflow run "${id}"; pick one from the list of runs.`)
      return summaryOf(id) ?? refuse('not_found', `There is no workflow run "${id}".`)
    },
    'workflows.decisions.export': ({ runId }) => {
      if (runId !== undefined && !store.getRun(runId))
        return refuse('not_found', `There is no workflow run "${runId}"; leave runId out to export every decision.`)
      return service.decisions.exportJson(runId)
    },
    'workflows.enforcePolicy': ({ text, workflowId, step, role, tools }) => {
      const violations: PolicyViolation[] = [...secretViolations(text, 'output')]
      if (workflowId !== undefined) {
        const definition = findDefinition(service, workflowId)
        if (!('steps' in definition)) return definition
        const declared = step === undefined ? undefined : definition.steps.find((s) => s.name === step)
        if (step !== undefined && !declared)
          return refuse(
            'not_found',
            `The workflow "${workflowId}" has no step "${step}". Its steps: ${definition.steps.map((s) => s.name).join(', ')}.`
          )
        const who = role ?? declared?.role
        if (who !== undefined)
          violations.push(...toolViolations(who, [...tools, ...requestedTools(text)], definition.allowedTools))
        if (declared)
          violations.push(
            ...citationViolations(parseAnswer(text, declared.package).package.sources, declared.citeSources)
          )
      } else if (tools.length || role !== undefined)
        return refuse('invalid_input', 'Allowed tools belong to a workflow: give workflowId with role or tools.')
      return { allowed: violations.length === 0, violations }
    }
  }
}
