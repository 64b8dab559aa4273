import { schemaViolation, unusableSchema } from './json-schema-check'

/**
 * How a fake backend answers one prompt. Tests script these per prompt
 * substring so one server can show every failure a real backend shows.
 */
export type FakeBehaviour =
  | {
      readonly kind: 'reply'
      readonly text: string
      readonly firstTokenDelayMs?: number
      readonly tokenDelayMs?: number
    }
  | { readonly kind: 'echo' }
  /** Answers what the prompt asks, e.g. every block of a batch prompt; may take its time, like a busy GPU. */
  | { readonly kind: 'compute'; readonly answer: (prompt: string) => string | Promise<string> }
  | { readonly kind: 'error'; readonly status: number; readonly message: string }
  | { readonly kind: 'hang' }
  /** The connection is reset before any answer, as from a server process killed while it read the request. */
  | { readonly kind: 'reset' }
  | { readonly kind: 'cut'; readonly afterTokens: number }
  | { readonly kind: 'stream_error'; readonly afterTokens: number; readonly message: string }
  /**
   * A model asked for structured output: with a schema in the request (Ollama `format`, OpenAI
   * `response_format`) it answers `value` as JSON, as a constrained decoder does, and the server
   * fails the request if `value` does not fit the schema (a test scripted a reply no real backend
   * could give). Without a schema it answers `unconstrained`, the prose a model writes when
   * nothing holds it to the format.
   */
  | { readonly kind: 'json'; readonly value: unknown; readonly unconstrained: string }

export interface FakeRule {
  /** Applies when the last user message contains this text; empty matches everything. */
  readonly whenPromptContains: string
  readonly behaviour: FakeBehaviour
  /** Applies to this model only; any model when absent. */
  readonly model?: string
}

export interface FakeModel {
  readonly name: string
  readonly sizeBytes: number
}

export function pickBehaviour(rules: readonly FakeRule[], model: string, prompt: string): FakeBehaviour {
  for (const rule of rules) {
    if (rule.model !== undefined && rule.model !== model) continue
    if (prompt.includes(rule.whenPromptContains)) return rule.behaviour
  }
  return { kind: 'reply', text: `Answer from ${model}: a considered reply to the question.` }
}

/**
 * The text a backend sends for `behaviour` given the request's schema (`undefined`: none asked),
 * or the error a real server answers with: a schema it cannot use, or a scripted value outside it.
 */
export function structuredText(
  behaviour: Extract<FakeBehaviour, { kind: 'json' }>,
  schema: unknown
): { ok: true; text: string } | { ok: false; status: number; message: string } {
  if (schema === undefined) return { ok: true, text: behaviour.unconstrained }
  if (schema === 'json') return { ok: true, text: JSON.stringify(behaviour.value) }
  const unusable = unusableSchema(schema)
  if (unusable) return { ok: false, status: 400, message: `invalid format: ${unusable}` }
  const violation = schemaViolation(behaviour.value, schema)
  if (violation)
    return { ok: false, status: 500, message: `fake backend: the scripted value breaks the schema: ${violation}` }
  return { ok: true, text: JSON.stringify(behaviour.value) }
}

/**
 * The whole answer a fake backend streams for a prompt: the structured text when a schema was
 * honoured, else what the behaviour says (the cut and failing kinds start a partial answer).
 */
export async function answerText(
  behaviour: FakeBehaviour,
  prompt: string,
  structured: { ok: true; text: string } | null
): Promise<string> {
  if (structured) return structured.text
  if (behaviour.kind === 'echo') return prompt
  if (behaviour.kind === 'reply') return behaviour.text
  if (behaviour.kind === 'compute') return await behaviour.answer(prompt)
  return 'Partial answer that will not finish properly'
}

/** Splits an answer into word-sized pieces, the way servers stream tokens. */
export function tokensOf(text: string): string[] {
  return text.match(/\s*\S+/g) ?? []
}

export function lastUserMessage(messages: unknown): string {
  if (!Array.isArray(messages)) return ''
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown }
    if (m && m.role === 'user' && typeof m.content === 'string') return m.content
  }
  return ''
}

/** A deterministic vector per text, so tests can compare embeddings. */
export function fakeVector(text: string, dimension: number): number[] {
  const out: number[] = []
  let h = 2166136261
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619)
  for (let i = 0; i < dimension; i++) {
    h = Math.imul(h ^ i, 16777619)
    out.push(((h >>> 0) % 2000) / 1000 - 1)
  }
  return out
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
