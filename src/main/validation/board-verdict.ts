/**
 * The board's answer on an escalated task, read from its chair's decision:
 * the question asks it to open with one of three words, and anything else is
 * taken as giving up, so a muddled answer ends in manual review, never in a
 * loop.
 */
export type BoardVerdict =
  | { readonly action: 'retry_other_model'; readonly model: string | null }
  | { readonly action: 'change_approach'; readonly instruction: string }
  | { readonly action: 'give_up' }

export function parseBoardVerdict(decision: string): BoardVerdict {
  const text = decision.trim().replace(/^[*_`\s]+/, '')
  const retry = /^RETRY[_ ]OTHER[_ ]MODEL\b[*_`\s:–-]*(.*)$/is.exec(text)
  if (retry) {
    const named = /^[`"']?([A-Za-z0-9][\w.:/-]*)/.exec((retry[1] ?? '').trim())?.[1] ?? null
    return { action: 'retry_other_model', model: named?.replace(/[.,;]+$/, '') ?? null }
  }
  const change = /^CHANGE[_ ]APPROACH\b[*_`\s:–-]*([\s\S]*)$/i.exec(text)
  if (change) {
    const instruction = (change[1] ?? '').trim()
    return instruction.length >= 10 ? { action: 'change_approach', instruction } : { action: 'give_up' }
  }
  return { action: 'give_up' }
}

export interface EscalationQuestionInput {
  readonly title: string
  readonly description: string
  readonly attempts: readonly {
    readonly attempt: number
    readonly errorType: string | null
    readonly message: string | null
  }[]
  readonly triedModels: readonly string[]
  readonly otherModels: readonly string[]
}

const QUESTION_MAX = 4000

export function escalationQuestion(input: EscalationQuestionInput): string {
  const history = input.attempts
    .map((a) => `- attempt ${a.attempt}: ${a.errorType ?? 'failed'}: ${(a.message ?? '').slice(0, 300)}`)
    .join('\n')
  const head = [
    `A task's attempts ran out. Decide what the company does with it before it goes to a person.`,
    `Task: ${input.title}`,
    `Instruction: ${input.description.slice(0, 1200)}`,
    `Failed attempts:\n${history || '- (none recorded)'}`,
    `Models tried: ${input.triedModels.join(', ') || 'unknown'}. Other models available: ${input.otherModels.join(', ') || 'none'}.`,
    'Your DECISION must start with exactly one of:',
    'RETRY_OTHER_MODEL <model name from the available ones> — the model was the problem;',
    'CHANGE_APPROACH <the revised instruction, complete, as the worker should read it> — the instruction was the problem;',
    'GIVE_UP — a person must look at it.'
  ].join('\n\n')
  return head.length > QUESTION_MAX ? head.slice(0, QUESTION_MAX) : head
}
