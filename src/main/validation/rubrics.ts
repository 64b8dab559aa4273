/**
 * What a validator checks a result against, per task kind. A rubric is a few
 * plain criteria a small local model can score; the kind comes from the
 * task's domain (or a workflow step's declared kind).
 */
export const RUBRIC_KINDS = ['code', 'research', 'summary', 'review', 'general'] as const
export type RubricKind = (typeof RUBRIC_KINDS)[number]

export const RUBRICS: Readonly<Record<RubricKind, readonly string[]>> = {
  code: [
    'The code does what the instruction asks, with no missing parts or placeholders ("TODO", "...").',
    'It would compile or run as written: correct syntax, imports and names.',
    'Edge cases and errors the instruction implies are handled.',
    'Any explanation matches what the code does.'
  ],
  research: [
    'It answers the question that was asked, not a neighbouring one.',
    'Claims are specific and checkable; sources are named where the instruction asks for them.',
    'It says what is uncertain or unknown instead of inventing facts.',
    'It is organised so a reader finds the answer first.'
  ],
  summary: [
    'It keeps the main points of the source and adds nothing that is not there.',
    'It is much shorter than the source and leaves out detail, not substance.',
    'Names, numbers and dates are copied correctly.'
  ],
  review: [
    'It gives a clear verdict (accept or send back).',
    'Each objection names the exact part it concerns and what to change.',
    'It does not demand things the instruction did not ask for.'
  ],
  general: [
    'It does what the instruction asks, completely.',
    'It is correct and specific, not generic filler or a restatement of the question.',
    'It is usable as it stands, without another round.'
  ]
}

const KIND_OF_DOMAIN: Readonly<Record<string, RubricKind>> = {
  code: 'code',
  coding: 'code',
  engineering: 'code',
  programming: 'code',
  research: 'research',
  analysis: 'research',
  summary: 'summary',
  summarization: 'summary',
  review: 'review'
}

/** The rubric for a task's domain or a step's kind; anything unknown is judged as general work. */
export function rubricKindOf(kindOrDomain: string | null): RubricKind {
  const key = (kindOrDomain ?? '').trim().toLowerCase()
  return (RUBRIC_KINDS as readonly string[]).includes(key) ? (key as RubricKind) : (KIND_OF_DOMAIN[key] ?? 'general')
}

/** The validator's JSON schema: backends constrain their answer to it (Ollama `format`, OpenAI `json_schema`, llama.cpp grammar). */
export const VERDICT_SCHEMA = {
  type: 'object',
  properties: {
    score: { type: 'number', minimum: 0, maximum: 1 },
    reasons: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 400 }, minItems: 1, maxItems: 6 }
  },
  required: ['score', 'reasons'],
  additionalProperties: false
} as const

export function validatorPrompt(kind: RubricKind): string {
  return [
    'You are the validator of an AI company. You judge one result of a task before it counts.',
    'Score it from 0 (useless or wrong) to 1 (complete and correct) against these criteria:',
    ...RUBRICS[kind].map((c, i) => `${i + 1}. ${c}`),
    'Answer with JSON only: {"score": <0..1>, "reasons": ["<why, one short sentence each, naming what is missing or wrong>"]}.'
  ].join('\n')
}

/** The result as the validator reads it: long results are cut in the middle, keeping their start and end. */
export function validatorInput(instruction: string, result: string, maxChars = 12_000): string {
  const half = Math.floor(maxChars / 2)
  const shown =
    result.length > maxChars
      ? `${result.slice(0, half)}\n[… ${result.length - maxChars} characters left out …]\n${result.slice(-half)}`
      : result
  return `TASK:\n${instruction}\n\nRESULT:\n${shown}`
}
