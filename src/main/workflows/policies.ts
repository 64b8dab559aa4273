import type { PolicyViolation, WorkflowTool } from '../../shared/contract/workflows-contract'

/**
 * The always-on rules, as pure functions over text and numbers: no secrets in
 * what a step receives or produces, a source where the step must cite one, the
 * run's token budget, and the tools each role may use. The runner checks them
 * on every step's input and output; a violation blocks the hand-off and is
 * written to the decision log. A found secret is never repeated in a message:
 * only its kind, where it is, and its first characters.
 */
interface SecretPattern {
  readonly kind: string
  readonly pattern: RegExp
}

const SECRET_PATTERNS: readonly SecretPattern[] = [
  { kind: 'private key block', pattern: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { kind: 'OpenAI API key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { kind: 'GitHub token', pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}/g },
  { kind: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}/g },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'Stripe secret key', pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{16,}/g },
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g }
]

export interface FoundSecret {
  readonly kind: string
  /** 1-based line of the text it is on. */
  readonly line: number
  /** Its first 6 characters and its length: enough to find it, not enough to use it. */
  readonly hint: string
}

export function findSecrets(text: string): FoundSecret[] {
  const found: FoundSecret[] = []
  const taken: [number, number][] = []
  for (const { kind, pattern } of SECRET_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index
      const end = start + match[0].length
      // The more specific pattern (listed first) names an overlapping match.
      if (taken.some(([s, e]) => start < e && end > s)) continue
      taken.push([start, end])
      found.push({
        kind,
        line: text.slice(0, start).split('\n').length,
        hint: `${match[0].slice(0, 6)}… (${match[0].length} characters)`
      })
    }
  }
  return found.sort((a, b) => a.line - b.line)
}

/** The text with every secret replaced by its kind, for storing what a blocked step produced. */
export function redactSecrets(text: string): string {
  let out = text
  for (const { kind, pattern } of SECRET_PATTERNS) out = out.replace(pattern, `[${kind} removed]`)
  return out
}

export function secretViolations(text: string, where: 'input' | 'output'): PolicyViolation[] {
  return findSecrets(text).map((s) => ({
    policy: 'no_secrets',
    message: `The step's ${where} holds what looks like ${/^[AEIOU]/.test(s.kind) ? 'an' : 'a'} ${s.kind} on line ${s.line} (${s.hint}). ${
      where === 'output'
        ? 'Answers must never carry keys: answer again without it.'
        : 'Remove it from the input and keep it in the secrets store (Settings) instead.'
    }`
  }))
}

/** A source is a URL, a path to a file, or a knowledge entry (`kb:<id>` or a title in quotes from the knowledge base). */
const SOURCE_LIKE = /(https?:\/\/\S+|\bkb:\S+|(?:^|\s)[\w./-]+\.[a-z0-9]{1,6}\b|\bknowledge\b|"[^"]{3,}")/i

export function citationViolations(sources: readonly string[], required: boolean): PolicyViolation[] {
  if (!required) return []
  const cited = sources.filter((s) => SOURCE_LIKE.test(s))
  if (cited.length > 0) return []
  return [
    {
      policy: 'cite_sources',
      message:
        sources.length === 0
          ? 'This step must cite a source, and its answer lists none: name each URL, file or knowledge entry used under "## Sources".'
          : `This step must cite a source, and none of its ${sources.length} listed source(s) is a URL, a file or a knowledge entry: name where the facts come from.`
    }
  ]
}

/** About 4 characters a token: what models average on English and code, used when a backend reports no count. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

export function budgetViolations(used: number, next: number, budget: number): PolicyViolation[] {
  if (used + next <= budget) return []
  return [
    {
      policy: 'token_budget',
      message: `The run has used ${used} of its ${budget} tokens and this step needs about ${next} more. Raise tokenBudget in the workflow's definition, or start a run with a shorter input.`
    }
  ]
}

/** Tools an answer asks for, as lines `Tool: <name>` (the answer format's way to ask the runner to act). */
export function requestedTools(text: string): string[] {
  return [...text.matchAll(/^\s*(?:[-*]\s*)?tool:\s*([a-z_]+)/gim)].map((m) => (m[1] ?? '').toLowerCase())
}

export function toolViolations(
  role: string,
  wanted: readonly string[],
  allowed: Readonly<Record<string, readonly WorkflowTool[]>>
): PolicyViolation[] {
  const mine: readonly string[] = allowed[role] ?? []
  return [...new Set(wanted)]
    .filter((tool) => !mine.includes(tool))
    .map((tool) => ({
      policy: 'allowed_tools',
      message: `The role "${role}" may not use the tool "${tool}"${
        mine.length ? ` (it may use ${mine.join(', ')})` : ' (it may use none)'
      }. Give the step to a role allowed it, or add "${tool}" to allowedTools.${role} in the workflow's definition.`
    }))
}
