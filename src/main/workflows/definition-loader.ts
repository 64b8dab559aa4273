import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import {
  WorkflowDefinitionSchema,
  type DefinitionProblem,
  type WorkflowEntry
} from '../../shared/contract/workflows-contract'

export interface LoadedDefinitions {
  readonly workflows: WorkflowEntry[]
  readonly problems: DefinitionProblem[]
}

/** Where in the raw data a problem is, as a person reads it: `steps[1].package.fields[0].name`. */
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    ''
  )
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}

/** Each issue as "field: the value — what is wrong, and what to do". */
export function describeIssues(data: unknown, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = pathText(issue.path) || '(the whole file)'
    const value = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : shown(valueAt(data, issue.path))
    const advice =
      issue.code === 'unrecognized_keys'
        ? 'Remove these fields or check their spelling.'
        : issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined
          ? 'Add this field.'
          : 'Change the value.'
    return `${where}: ${value} — ${issue.message.replace(/\.$/, '')}. ${advice}`
  })
}

/** One definition's text, checked: the definition, or what is wrong with it. */
export function parseDefinition(
  text: string
): { ok: true; definition: z.infer<typeof WorkflowDefinitionSchema> } | { ok: false; problems: string[] } {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return {
      ok: false,
      problems: [`Not valid JSON (${(error as Error).message}). Fix the syntax: a missing quote or a trailing comma?`]
    }
  }
  const parsed = WorkflowDefinitionSchema.safeParse(data)
  return parsed.success
    ? { ok: true, definition: parsed.data }
    : { ok: false, problems: describeIssues(data, parsed.error) }
}

/**
 * The built-in workflows (bundled, so a broken one fails the build's tests,
 * not a user's run) and the data dir's own, read again on every call so a
 * file saved in workflows/ counts at once. A file that does not load is
 * listed with its problems and the rest still load.
 */
export function loadDefinitions(builtins: Readonly<Record<string, string>>, userDir: string): LoadedDefinitions {
  const workflows: WorkflowEntry[] = []
  const problems: DefinitionProblem[] = []
  const take = (file: string, text: string, origin: WorkflowEntry['origin']): void => {
    const parsed = parseDefinition(text)
    if (!parsed.ok) return void problems.push({ file, problems: parsed.problems })
    const taken = workflows.find((w) => w.definition.id === parsed.definition.id)
    if (taken)
      return void problems.push({
        file,
        problems: [`id: "${parsed.definition.id}" — already used by ${taken.file}. Give this workflow another id.`]
      })
    workflows.push({ definition: parsed.definition, origin, file })
  }
  for (const [file, text] of Object.entries(builtins).sort(([a], [b]) => a.localeCompare(b)))
    take(file, text, 'builtin')
  let names: string[] = []
  try {
    names = readdirSync(userDir).filter((n) => n.endsWith('.json'))
  } catch (error) {
    // No folder yet is the normal case: a person creates it to add a workflow.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      problems.push({ file: userDir, problems: [`Could not read the folder: ${(error as Error).message}.`] })
  }
  for (const name of names.sort()) {
    const file = join(userDir, name)
    try {
      take(file, readFileSync(file, 'utf8'), 'user')
    } catch (error) {
      problems.push({ file, problems: [`Could not read the file: ${(error as Error).message}.`] })
    }
  }
  return { workflows, problems }
}
