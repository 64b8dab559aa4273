import type { HandoffPackage, WorkflowStep } from '../../shared/contract/workflows-contract'
import { answerFormat, normalName } from './handoff-package'

export interface PromptContext {
  readonly input: string
  readonly round: number
  /** Why the step's last answer came back (missing parts, broken rules, a reviewer's reasons); empty the first time. */
  readonly feedback: readonly string[]
  /** The latest passed package of each earlier step. */
  readonly packages: Readonly<Record<string, HandoffPackage>>
}

const list = (items: readonly string[]): string => (items.length ? items.map((i) => `- ${i}`).join('\n') : 'None')

/** One part of a package as text: summary, artifacts, sources, open_questions, or a declared field by name. */
function part(pkg: HandoffPackage | undefined, name: string): string {
  if (!pkg) return '(not available)'
  switch (name) {
    case 'summary':
      return pkg.summary
    case 'artifacts':
      return pkg.artifacts.length ? pkg.artifacts.join('\n\n') : 'None'
    case 'sources':
      return list(pkg.sources)
    case 'open_questions':
      return list(pkg.openQuestions)
  }
  const field = Object.keys(pkg.fields).find((f) => normalName(f) === normalName(name))
  return field === undefined ? '(not given)' : (pkg.fields[field] ?? '')
}

/**
 * The step's prompt: its template with {{input}}, {{round}}, {{feedback}} and
 * {{steps.<name>.<part>}} filled in, then the answer format its package
 * check expects. Pure: the same run state always gives the same prompt, which
 * is what makes re-creating a step's task after a crash land on the same task.
 */
export function renderPrompt(step: WorkflowStep, context: PromptContext): string {
  const feedback = context.feedback.length
    ? `Your previous answer was sent back. Fix every point:\n${list(context.feedback)}`
    : ''
  const body = step.prompt.replace(/\{\{\s*([a-z_.\-0-9 ]+?)\s*\}\}/gi, (whole, key: string) => {
    if (key === 'input') return context.input
    if (key === 'round') return String(context.round)
    if (key === 'feedback') return feedback
    const match = /^steps\.([a-z0-9_-]+)\.([a-z0-9_ -]+)$/i.exec(key)
    if (match?.[1] && match[2]) return part(context.packages[match[1]], match[2])
    return whole
  })
  const withFeedback = feedback && !step.prompt.includes('{{feedback}}') ? `${body}\n\n${feedback}` : body
  return `${withFeedback.trim()}\n\n${answerFormat(step.package, step.citeSources, step.tests !== undefined)}`
}
