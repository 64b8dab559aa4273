import type { BoardOutcome, BoardTally, BoardVote } from '../../shared/contract/board-contract'

export interface MemberReply {
  readonly position: string
  readonly vote: BoardVote
}

export interface ChairReply {
  readonly decision: string
  readonly rationale: string
  readonly risks: readonly string[]
}

const LABEL =
  /^\s*[*_#]*\s*(position|vote|decision|rationale|risks|позиция|голос|решение|обоснование|риски)\s*[*_]*\s*[:：]\s*[*_]*\s*(.*)$/i

const CANONICAL: Readonly<Record<string, string>> = {
  position: 'position',
  позиция: 'position',
  vote: 'vote',
  голос: 'vote',
  decision: 'decision',
  решение: 'decision',
  rationale: 'rationale',
  обоснование: 'rationale',
  risks: 'risks',
  риски: 'risks'
}

/** Splits a reply into its labelled sections; text before the first label is kept under ''. */
export function sections(text: string): Map<string, string> {
  const found = new Map<string, string>()
  let current = ''
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const match = LABEL.exec(line)
    if (match?.[1]) {
      current = CANONICAL[match[1].toLowerCase()] ?? ''
      found.set(current, [found.get(current), match[2] ?? ''].filter((part) => part).join('\n'))
    } else {
      found.set(current, [found.get(current), line].filter((part) => part !== undefined && part !== '').join('\n'))
    }
  }
  for (const [key, value] of found) found.set(key, value.trim())
  return found
}

/**
 * Models do not always keep to the format: an answer without a VOTE line is
 * an abstention, an answer without a POSITION label is taken whole.
 */
export function parseMemberReply(text: string): MemberReply {
  const parts = sections(text)
  const vote = parseVote(parts.get('vote') ?? '')
  const position = parts.get('position') || parts.get('') || text.trim()
  return { position, vote }
}

export function parseVote(text: string): BoardVote {
  const word = text.trim().toLowerCase()
  if (/^(for|yes|approve|за|да)(?![\p{L}])/u.test(word)) return 'for'
  if (/^(against|no|reject|против|нет)(?![\p{L}])/u.test(word)) return 'against'
  return 'abstain'
}

export function parseChairReply(text: string): ChairReply {
  const parts = sections(text)
  const risks = (parts.get('risks') ?? '')
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .filter((line) => line.length > 0)
  const decision = parts.get('decision') || parts.get('') || text.trim()
  return { decision, rationale: parts.get('rationale') ?? '', risks }
}

export function tally(votes: readonly BoardVote[]): BoardTally {
  return {
    for: votes.filter((v) => v === 'for').length,
    against: votes.filter((v) => v === 'against').length,
    abstain: votes.filter((v) => v === 'abstain').length
  }
}

export function outcomeOf(t: BoardTally): BoardOutcome {
  if (t.for > t.against) return 'approved'
  if (t.against > t.for) return 'rejected'
  return 'split'
}
