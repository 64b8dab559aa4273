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
