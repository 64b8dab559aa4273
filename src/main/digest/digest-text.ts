import type { Digest } from '../../shared/contract/digest-contract'
import { errorTypeCounts, errorTypeLabel } from '../../shared/error-type-label'

/** The digest in plain words, for the webhook, the notification and `kos digest`. */
export function digestText(d: Digest): { title: string; lines: string[] } {
  const since = d.basis === 'last_visit' ? 'since you were last here' : `since ${d.from}`
  const lines = [
    `Tasks done: ${d.tasks.completed}; in manual review: ${d.tasks.inReview}${causeList(d.tasks.reviewCauses)}`
  ]
  for (const s of d.tasks.reviewSamples)
    lines.push(`  • ${s.title} (${errorTypeLabel(s.errorType)}${s.lastError ? `: ${s.lastError}` : ''})`)
  lines.push(`Model-server restarts: ${d.restarts.count}`)
  for (const r of d.restarts.latest) lines.push(`  • ${r.at} ${r.subject}${r.cause ? `: ${r.cause}` : ''}`)
  lines.push(`Circuits opened: ${d.circuits.count}`)
  for (const c of d.circuits.latest) lines.push(`  • ${c.at} ${c.subject}${c.cause ? `: ${c.cause}` : ''}`)
  lines.push(
    d.chat.fallbackShare === null
      ? 'Chat answers: none'
      : `Chat answers: ${d.chat.answers}, ${Math.round(d.chat.fallbackShare * 100)}% fell back to another model`
  )
  lines.push(
    `Tokens: ${d.usage.tokensIn} in, ${d.usage.tokensOut} out over ${d.usage.requests} model calls; cost ${d.usage.cost.toFixed(2)}`
  )
  return { title: `Knowledge OS digest ${since}`, lines }
}

function causeList(causes: Readonly<Record<string, number>>): string {
  return Object.keys(causes).length === 0 ? '' : ` (${errorTypeCounts(causes)})`
}
