import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { highlight } from './code-highlight'
import { parseInline, parseMarkdown, type Inline } from './markdown-parse'

/** The characters an inline shows, markup taken away. */
const textOf = (inline: Inline): string => ('children' in inline ? inline.children.map(textOf).join('') : inline.text)

describe('markdown reader', () => {
  it('reads headings, paragraphs, lists, quotes and fenced code', () => {
    const blocks = parseMarkdown(
      '# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n```ts\nconst a = 1\n```'
    )
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'list', 'quote', 'code'])
    expect(blocks[3]).toMatchObject({ ordered: true, start: 3 })
    expect(blocks[5]).toEqual({ kind: 'code', language: 'ts', text: 'const a = 1', open: false })
  })

  it('treats an unclosed fence as code still streaming in', () => {
    expect(parseMarkdown('Look:\n```python\nprint(1)')).toEqual([
      { kind: 'paragraph', content: [{ kind: 'text', text: 'Look:' }] },
      { kind: 'code', language: 'python', text: 'print(1)', open: true }
    ])
  })

  it('keeps links as text and address, and markup inside HTML-looking text as plain text', () => {
    expect(parseInline('see [docs](https://example.com) <script>x</script>')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'docs', href: 'https://example.com' },
      { kind: 'text', text: ' <script>x</script>' }
    ])
  })

  it('never drops the text of a paragraph, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => /^[a-z <>&"']+$/i.test(s) && s.trim().length > 0 && !/^\s*>/.test(s)),
        (text) => {
          const block = parseMarkdown(text)[0]
          expect(block?.kind).toBe('paragraph')
          const flat = block?.kind === 'paragraph' ? block.content.map(textOf).join('') : ''
          expect(flat).toBe(text)
        }
      )
    )
  })

  it('highlights keywords, strings, numbers and comments without losing a character', () => {
    const tokens = highlight('const x = "hi" // note\nreturn 42', 'ts')
    expect(tokens.filter((t) => t.kind !== 'plain').map((t) => [t.kind, t.text])).toEqual([
      ['keyword', 'const'],
      ['string', '"hi"'],
      ['comment', '// note'],
      ['keyword', 'return'],
      ['number', '42']
    ])
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('ts', 'python', 'sql', ''), (code, lang) => {
        expect(
          highlight(code, lang)
            .map((t) => t.text)
            .join('')
        ).toBe(code)
      })
    )
  })
})
