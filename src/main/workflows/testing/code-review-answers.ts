import type { TaskForProcessing } from '../../ports/task-processor'

/** The step a workflow task belongs to, from its title (`<workflow> · <step> · round N[ try M] [run_…]`). */
export function stepOf(task: Pick<TaskForProcessing, 'title'>): { step: string; round: number; attempt: number } {
  const match = /· ([a-z0-9_-]+) · round (\d+)(?: try (\d+))? \[/.exec(task.title)
  return { step: match?.[1] ?? '', round: Number(match?.[2] ?? 0), attempt: Number(match?.[3] ?? 1) }
}

/** Answers that satisfy the built-in code-review workflow's packages; the reviewer's verdict per round is given. */
export const CODE_REVIEW_ANSWERS = {
  coder: (round: number): string =>
    `## Summary\nAdded an add() function with input checks, round ${round} of the work.\n## Artifacts\n\`\`\`ts path=src/add.ts\nexport const add = (a: number, b: number): number => a + b\n\`\`\`\n## Open questions\nNone\n## Sources\nNone`,
  librarian: (): string =>
    '## Summary\nFiled the add() helper with its purpose and usage.\n## Title\nadd() helper for numbers\n## Entry\nadd(a, b) returns the sum of two numbers. Use it wherever two amounts are combined; it is pure and has no side effects.',
  reviewer: (verdict: 'accept' | 'send_back'): string =>
    `## Summary\nReviewed the add() helper against the request.\n## Verdict\n${verdict}\n## Reasons\n${verdict === 'accept' ? 'Correct and covered by tests.' : 'Add a test for negative numbers.'}`
}
