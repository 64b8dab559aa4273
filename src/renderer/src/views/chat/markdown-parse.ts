/**
 * A small Markdown reader for model output. It produces a tree of plain
 * values that the view renders as React elements, so no model text ever
 * becomes HTML. Links are kept as text and address, never followed.
 */
export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'strong'; readonly children: readonly Inline[] }
  | { readonly kind: 'em'; readonly children: readonly Inline[] }
  | { readonly kind: 'link'; readonly text: string; readonly href: string }

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4; readonly content: readonly Inline[] }
  | { readonly kind: 'paragraph'; readonly content: readonly Inline[] }
  | {
      readonly kind: 'list'
      readonly ordered: boolean
      readonly start: number
      readonly items: readonly (readonly Inline[])[]
    }
  | { readonly kind: 'quote'; readonly content: readonly Inline[] }
  | { readonly kind: 'code'; readonly language: string; readonly text: string; readonly open: boolean }
  | { readonly kind: 'rule' }

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/
const QUOTE = /^\s{0,3}>\s?(.*)$/
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i] ?? ''
    const fence = FENCE.exec(line)
    if (fence?.[1]) {
      const marker = fence[1]
      const body: string[] = []
      i++
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith(marker)) body.push(lines[i++] ?? '')
      // An unclosed fence is a code block still being streamed in.
      const open = i >= lines.length
      i++
      blocks.push({ kind: 'code', language: (fence[2] ?? '').toLowerCase(), text: body.join('\n'), open })
      continue
    }
    if (!line.trim()) {
      i++
      continue
    }
    const heading = HEADING.exec(line)
    if (heading?.[1]) {
      blocks.push({
        kind: 'heading',
        level: Math.min(heading[1].length, 4) as 1 | 2 | 3 | 4,
        content: parseInline(heading[2] ?? '')
      })
      i++
      continue
    }
    if (RULE.test(line)) {
      blocks.push({ kind: 'rule' })
      i++
      continue
    }
    if (QUOTE.test(line)) {
      const body: string[] = []
      while (i < lines.length && QUOTE.test(lines[i] ?? '')) body.push(QUOTE.exec(lines[i++] ?? '')?.[1] ?? '')
      blocks.push({ kind: 'quote', content: parseInline(body.join('\n')) })
      continue
    }
    const bullet = BULLET.test(line)
    const numbered = NUMBERED.exec(line)
    if (bullet || numbered) {
      const items: Inline[][] = []
      const pattern = bullet ? BULLET : NUMBERED
      while (i < lines.length) {
        const current = lines[i] ?? ''
        const match = pattern.exec(current)
        if (match) {
          items.push(parseInline((bullet ? match[1] : match[2]) ?? ''))
        } else if (/^\s{2,}\S/.test(current) && items.length > 0) {
          items[items.length - 1] = [
            ...(items[items.length - 1] ?? []),
            { kind: 'text', text: ' ' },
            ...parseInline(current.trim())
          ]
        } else break
        i++
      }
      blocks.push({ kind: 'list', ordered: !bullet, start: numbered ? Number(numbered[1]) : 1, items })
      continue
    }
    const body: string[] = []
    while (i < lines.length) {
      const current = lines[i] ?? ''
      if (
        !current.trim() ||
        FENCE.test(current) ||
        HEADING.test(current) ||
        QUOTE.test(current) ||
        BULLET.test(current) ||
        NUMBERED.test(current)
      )
        break
      body.push(current)
      i++
    }
    blocks.push({ kind: 'paragraph', content: parseInline(body.join('\n')) })
  }
  return blocks
}

const INLINE = /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s][^*]*?)\*|_([^_\s][^_]*?)_|\[([^\]]+)\]\(([^)\s]+)\)/

export function parseInline(text: string): Inline[] {
  const out: Inline[] = []
  let rest = text
  while (rest) {
    const match = INLINE.exec(rest)
    if (!match) {
      out.push({ kind: 'text', text: rest })
      break
    }
    if (match.index > 0) out.push({ kind: 'text', text: rest.slice(0, match.index) })
    const [whole, code, strong1, strong2, em1, em2, linkText, href] = match
    if (code !== undefined) out.push({ kind: 'code', text: code })
    else if (strong1 !== undefined || strong2 !== undefined)
      out.push({ kind: 'strong', children: parseInline(strong1 ?? strong2 ?? '') })
    else if (em1 !== undefined || em2 !== undefined) out.push({ kind: 'em', children: parseInline(em1 ?? em2 ?? '') })
    else out.push({ kind: 'link', text: linkText ?? '', href: href ?? '' })
    rest = rest.slice(match.index + whole.length)
  }
  return out
}
