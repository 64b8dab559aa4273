import type { BoardDecision } from '../../shared/contract/board-contract'
import type { ChatMessage, ChatSession } from '../../shared/contract/chat-contract'

/** A session as a Markdown document: each message with who wrote it, when, and what it cost. */
export function sessionMarkdown(
  session: ChatSession,
  messages: readonly ChatMessage[],
  decisionOf: (id: string) => BoardDecision | null
): string {
  const lines = [`# ${session.title}`, '', `Started ${session.createdAt}, ${messages.length} messages.`, '']
  for (const m of messages) {
    const who = m.role === 'user' ? 'You' : (m.expertName ?? 'Assistant')
    const facts =
      m.role === 'assistant'
        ? [
            m.model && `${m.model}${m.node ? ` on ${m.node}` : ''}`,
            m.latencyMs !== null && `${(m.latencyMs / 1000).toFixed(1)} s`,
            m.tokensIn !== null && `${m.tokensIn} → ${m.tokensOut ?? 0} tokens`
          ].filter(Boolean)
        : []
    lines.push(`## ${who} · ${m.createdAt}${facts.length ? ` · ${facts.join(', ')}` : ''}`, '')
    if (m.boardDecisionId) {
      const d = decisionOf(m.boardDecisionId)
      if (d)
        lines.push(
          `> **Board decision (${d.outcome}, ${d.tally.for} for / ${d.tally.against} against / ${d.tally.abstain} abstained):** ${d.decision}`,
          ''
        )
    }
    if (m.content) lines.push(m.content, '')
    if (m.status === 'error' && m.error) lines.push(`*Failed: ${m.error}*`, '')
    if (m.status === 'stopped') lines.push('*Stopped before the end.*', '')
    if (m.notice) lines.push(`*${m.notice}*`, '')
  }
  return `${lines.join('\n').trimEnd()}\n`
}

export function exportFileName(session: ChatSession): string {
  const slug =
    session.title
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'chat'
  return `${slug}-${session.createdAt.slice(0, 10)}.md`
}
