import type { TaskErrorType } from '../../shared/contract/tasks-contract'
import { normalizeForDedup } from './dedup-key'

export type AnswerVerdict =
  { readonly ok: true } | { readonly ok: false; readonly type: TaskErrorType; readonly reason: string }

// Backends and proxies that fail often answer 200 with the failure as text; such an answer is a failure, not a result.
const ERROR_AS_ANSWER = [
  /^\s*(error|exception|traceback)\b[\s:(]/i,
  /^\s*\{\s*"error"\s*:/i,
  /\b(model|service|backend|server) (is )?(unavailable|not available|not found|overloaded)\b/i,
  /\binternal server error\b/i,
  /\bout of memory\b/i,
  /\bcontext (length|window) exceeded\b/i
]

/**
 * Whether an answer counts as done. Checks are cheap string scans bounded by
 * the answer's first few kilobytes, so they never stall the event loop.
 */
export function checkAnswer(
  answer: string,
  prompt: { title: string; description: string },
  minChars: number
): AnswerVerdict {
  const trimmed = answer.trim()
  if (trimmed.length === 0) return { ok: false, type: 'empty_or_short_response', reason: 'the answer was empty' }
  if (trimmed.length < minChars)
    return {
      ok: false,
      type: 'empty_or_short_response',
      reason: `the answer had ${trimmed.length} characters, under the minimum of ${minChars}`
    }
  const head = trimmed.slice(0, 2000)
  // Only a short answer can be "an error message"; a long essay that mentions an error is still an essay.
  if (trimmed.length < 400 && ERROR_AS_ANSWER.some((pattern) => pattern.test(head))) {
    return { ok: false, type: 'validation_failed', reason: `the answer is an error message: "${head.slice(0, 160)}"` }
  }
  if (isEcho(trimmed, prompt))
    return { ok: false, type: 'validation_failed', reason: 'the answer repeats the prompt instead of answering it' }
  return { ok: true }
}

function isEcho(answer: string, prompt: { title: string; description: string }): boolean {
  const said = normalizeForDedup(answer.slice(0, 20_000))
  const description = normalizeForDedup(prompt.description.slice(0, 20_000))
  const title = normalizeForDedup(prompt.title)
  if (said === description || said === title || said === `${title} ${description}`) return true
  // An answer that is mostly the prompt with a few words around it is an echo too.
  return description.length >= 40 && said.includes(description) && said.length < description.length * 1.2 + 20
}
