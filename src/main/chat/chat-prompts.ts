import type { BoardDecision } from '../../shared/contract/board-contract'
import type { ChatMessage, Expert } from '../../shared/contract/chat-contract'
import type { ChatTurn } from '../ports/chat-model'

export interface PromptParts {
  readonly expert: Expert
  readonly question: string
  readonly history: readonly ChatMessage[]
  readonly context: string | null
  readonly decision: BoardDecision | null
  /** Results of the subtasks, for the lead agent's closing answer. */
  readonly results?: readonly { readonly title: string; readonly outcome: string }[]
}

/** The turns sent for an answer: the expert's system prompt with what was gathered, the recent history, the question. */
export function answerTurns(parts: PromptParts): ChatTurn[] {
  let system = parts.expert.systemPrompt
  if (parts.context)
    system += `\n\nContext from the knowledge base (use it, and say when it does not cover the question):\n${parts.context}`
  if (parts.decision) {
    const d = parts.decision
    system += [
      '\n\nThe board of directors met on this question.',
      `Decision: ${d.decision}`,
      d.rationale ? `Rationale: ${d.rationale}` : '',
      d.risks.length ? `Risks: ${d.risks.join('; ')}` : '',
      `Votes: ${d.tally.for} for, ${d.tally.against} against, ${d.tally.abstain} abstained.`,
      'Present the board’s decision first, then your own advice on carrying it out.'
    ]
      .filter(Boolean)
      .join('\n')
  }
  if (parts.results) {
    system += `\n\nThe request was split into tasks the team has worked on. Their results:\n\n${parts.results.map((r, i) => `### ${i + 1}. ${r.title}\n${r.outcome}`).join('\n\n')}\n\nWrite the final answer to the user from these results: combine them, fix contradictions, and say plainly what is missing.`
  }
  const history: ChatTurn[] = parts.history.map((m) => ({ role: m.role, content: m.content }))
  return [{ role: 'system', content: system }, ...history, { role: 'user', content: parts.question }]
}

export const DECOMPOSE_PROMPT = [
  'Split the user’s request into 2 to 6 subtasks that can be worked on one after another by specialists.',
  'Reply with a numbered list only, one subtask per line, in the form:',
  '1. <short title> — <what exactly to produce>',
  'Use the language of the request.'
].join('\n')

export interface PlannedSubtask {
  readonly title: string
  readonly description: string
}

/** Reads the numbered list; a reply with fewer than two items means the request stays one task. */
export function parseSubtasks(reply: string, request: string): PlannedSubtask[] {
  const items = reply
    .split(/\r?\n/)
    .map((line) => /^\s*(?:\d+[.)]|[-*•])\s+(.+)$/.exec(line)?.[1]?.trim())
    .filter((item): item is string => Boolean(item))
    .slice(0, 6)
    .map((item) => {
      const [title = item, ...rest] = item.split(/\s+[—–-]\s+|:\s+/)
      const clean = title.replace(/\*\*/g, '').trim().slice(0, 200)
      return { title: clean || item.slice(0, 200), description: rest.join(' — ').trim() || item }
    })
  return items.length >= 2 ? items : [{ title: shorten(request, 120), description: request }]
}

export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`
}
