import type { z } from 'zod'

type Issue = z.core.$ZodRawIssue

const chars = (n: number | bigint): string => `${n} character${n === 1 || n === 1n ? '' : 's'}`

/** A schema's complaint in words a person reads, naming the field by its label. */
function plainWords(issue: Issue, label: string): string {
  const input = issue.input
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return `${label} needs at least ${chars(issue.minimum)}.`
      return `${label} must be at least ${issue.minimum}.`
    case 'too_big':
      if (issue.origin === 'string')
        return `${label} may have at most ${chars(issue.maximum)}; this one has ${typeof input === 'string' ? input.length : 'more'}.`
      return `${label} may be at most ${issue.maximum}.`
    case 'invalid_type':
      return input === undefined
        ? `${label} is required.`
        : `${label} must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}.`
    case 'invalid_value':
      return `${label} must be one of: ${issue.values.map(String).join(', ')}.`
    case 'invalid_format':
      return `${label} is not in the expected form.`
    default:
      return `${label} is not valid.`
  }
}

/**
 * Checks a form's values with the contract's own schema, the one the core
 * checks the call with, so the rules live in one place: the first problem
 * of each field, in plain words (the schema's own message where it has one),
 * or null when the values would be accepted.
 */
export function validateForm<F extends string>(
  schema: z.ZodType,
  values: Readonly<Record<string, unknown>>,
  labels: Readonly<Record<F, string>>
): Partial<Record<F, string>> | null {
  const result = schema.safeParse(values, {
    reportInput: true,
    error: (issue) => plainWords(issue, labels[String(issue.path?.[0] ?? '') as F] ?? 'This value')
  })
  if (result.success) return null
  const errors: Partial<Record<F, string>> = {}
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '') as F
    if (field in labels && errors[field] === undefined) errors[field] = issue.message
  }
  return errors
}
