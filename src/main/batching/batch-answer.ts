/**
 * One model call answering a batch of small tasks, in the operators'
 * format: the answer to task N between [RESULT_N] and [/RESULT_N]. Parsing is
 * strict on purpose: a result is taken only when its block is closed, unique,
 * non-empty and holds no other block, so a task never gets another task's
 * answer; every task without such a block falls back to a call of its own.
 */

export interface BatchItem {
  readonly title: string
  readonly description: string
}

export interface ParsedBatch {
  /** Index 0 is task 1; null where the task needs a call of its own. */
  readonly results: readonly (string | null)[]
  /** The task numbers (1-based) that fall back, with why. */
  readonly fallbacks: readonly {
    readonly n: number
    readonly reason: 'missing' | 'empty' | 'duplicate' | 'unclosed' | 'nested'
  }[]
}

export function batchPrompt(items: readonly BatchItem[]): string {
  const lines = [
    `Answer each of the ${items.length} tasks below separately and completely.`,
    `Put the answer to task N between [RESULT_N] and [/RESULT_N] (for example [RESULT_1] … [/RESULT_1]), one block per task, nothing outside the blocks.`,
    ''
  ]
  items.forEach((item, i) => lines.push(`Task ${i + 1}: ${item.title}`, item.description, ''))
  return lines.join('\n').trimEnd()
}

const OPEN = /\[RESULT_(\d{1,4})\]/gi

export function parseBatchAnswer(text: string, count: number): ParsedBatch {
  const found = new Map<number, { content: string | null; reason: ParsedBatch['fallbacks'][number]['reason'] | null }>()
  const duplicates = new Set<number>()
  for (const match of text.matchAll(OPEN)) {
    const n = Number(match[1])
    if (n < 1 || n > count) continue
    if (found.has(n)) {
      duplicates.add(n)
      continue
    }
    const start = (match.index ?? 0) + match[0].length
    // A regex, not toUpperCase().indexOf: upper-casing can change the length of the text (ß → SS) and shift every index.
    const closing = new RegExp(`\\[/RESULT_${n}\\]`, 'gi')
    closing.lastIndex = start
    const close = closing.exec(text)?.index ?? -1
    if (close < 0) {
      found.set(n, { content: null, reason: 'unclosed' })
      continue
    }
    const content = text.slice(start, close)
    if (/\[\/?RESULT_\d+\]/i.test(content)) found.set(n, { content: null, reason: 'nested' })
    else if (content.trim() === '') found.set(n, { content: null, reason: 'empty' })
    else found.set(n, { content: content.trim(), reason: null })
  }
  const results: (string | null)[] = []
  const fallbacks: { n: number; reason: ParsedBatch['fallbacks'][number]['reason'] }[] = []
  for (let n = 1; n <= count; n++) {
    const entry = found.get(n)
    const reason = duplicates.has(n) ? 'duplicate' : (entry?.reason ?? (entry ? null : 'missing'))
    if (reason !== null) {
      results.push(null)
      fallbacks.push({ n, reason })
    } else results.push(entry?.content ?? null)
  }
  return { results, fallbacks }
}
