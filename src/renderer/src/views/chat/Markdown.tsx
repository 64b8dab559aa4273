import { useMemo, type ReactNode } from 'react'
import { highlight } from './code-highlight'
import { parseMarkdown, type Block, type Inline } from './markdown-parse'

/** Model output as React elements: every piece of text is a text node, links are shown with their address and never opened. */
export function Markdown({ text }: { text: string }): ReactNode {
  const blocks = useMemo(() => parseMarkdown(text), [text])
  return <div className="md">{blocks.map((block, i) => renderBlock(block, i))}</div>
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.kind) {
    case 'heading': {
      const Tag = (['h3', 'h4', 'h5', 'h6'] as const)[block.level - 1] ?? 'h6'
      return <Tag key={key}>{renderInline(block.content)}</Tag>
    }
    case 'paragraph':
      return <p key={key}>{renderInline(block.content)}</p>
    case 'quote':
      return <blockquote key={key}>{renderInline(block.content)}</blockquote>
    case 'rule':
      return <hr key={key} />
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{renderInline(item)}</li>)
      return block.ordered ? (
        <ol key={key} start={block.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      )
    }
    case 'code':
      return (
        <figure key={key} className="md-code">
          {block.language && <figcaption>{block.language}</figcaption>}
          <pre tabIndex={0}>
            <code>
              {highlight(block.text, block.language).map((token, i) =>
                token.kind === 'plain' ? (
                  token.text
                ) : (
                  <span key={i} className={`tok-${token.kind}`}>
                    {token.text}
                  </span>
                )
              )}
            </code>
          </pre>
        </figure>
      )
  }
}

function renderInline(content: readonly Inline[]): ReactNode[] {
  return content.map((part, i) => {
    switch (part.kind) {
      case 'text':
        return part.text
      case 'code':
        return <code key={i}>{part.text}</code>
      case 'strong':
        return <strong key={i}>{renderInline(part.children)}</strong>
      case 'em':
        return <em key={i}>{renderInline(part.children)}</em>
      case 'link':
        return (
          <span key={i} className="md-link">
            {part.text} <span className="md-href">({part.href})</span>
          </span>
        )
    }
  })
}
