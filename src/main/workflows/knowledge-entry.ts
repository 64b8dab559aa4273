import type { HandoffPackage } from '../../shared/contract/workflows-contract'
import type { StoredRun } from './workflow-store'

/** The librarian's entry as filed: its text, then the work it files (the packages it read), so the knowledge base holds the context too. */
export function knowledgeEntry(
  run: StoredRun,
  round: number,
  pkg: HandoffPackage,
  inputs: readonly [string, HandoffPackage][]
): string {
  const context = inputs.map(([name, input]) =>
    [
      `## From "${name}"`,
      input.summary,
      input.artifacts.length ? input.artifacts.join('\n\n') : '',
      input.openQuestions.length ? `Open questions:\n${input.openQuestions.map((q) => `- ${q}`).join('\n')}` : ''
    ]
      .filter(Boolean)
      .join('\n\n')
  )
  return [
    pkg.fields['Entry'] ?? pkg.summary,
    ...context,
    `## Request\n${run.input}`,
    `Filed by the workflow "${run.definition.title}", run ${run.id}, round ${round}.`
  ].join('\n\n')
}
