import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chunkText, chunkTextYielding } from './chunker'
import { estimateTokens } from './token-estimate'

const options = { maxTokens: 20, overlapTokens: 2 }

describe('chunkText', () => {
  it('gives no chunks for empty or whitespace-only text', () => {
    expect(chunkText('', options)).toEqual([])
    expect(chunkText(' \n\t \r\n ', options)).toEqual([])
  })

  it('keeps a short text in one chunk, trimmed of surrounding whitespace', () => {
    expect(chunkText('  Hello, world.\n', options)).toEqual([
      { ordinal: 0, text: 'Hello, world.', tokens: 6, start: 2, end: 15 }
    ])
  })

  it('splits one huge line without spaces into chunks within the limit', () => {
    const line = 'A'.repeat(10_000)
    const chunks = chunkText(line, { maxTokens: 100, overlapTokens: 0 })
    expect(chunks.length).toBe(25)
    expect(chunks.every((c) => c.tokens <= 100)).toBe(true)
    expect(chunks.map((c) => c.text).join('')).toBe(line)
  })

  it('never cuts a surrogate pair or a Cyrillic word in a multibyte text', () => {
    const text = 'Привет 👋🏽 мир! '.repeat(200) + '😀'.repeat(500)
    const chunks = chunkText(text, { maxTokens: 30, overlapTokens: 3 })
    for (const chunk of chunks) {
      expect(chunk.text).toBe(text.slice(chunk.start, chunk.end))
      expect(chunk.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
      expect(chunk.tokens).toBeLessThanOrEqual(30)
    }
    expect(chunks.filter((c) => /^\p{Script=Cyrillic}/u.test(c.text)).every((c) => /^(Привет|мир)/.test(c.text))).toBe(
      true
    )
  })

  it('counts Russian as more tokens per letter than English', () => {
    expect(estimateTokens('база знаний')).toBeGreaterThan(estimateTokens('knowledge base') - 1)
    expect(estimateTokens('интернационализация')).toBe(8)
    expect(estimateTokens('internationalization')).toBe(5)
  })

  it('ends a chunk at a paragraph break near its end rather than mid-paragraph', () => {
    const para = (word: string): string => Array.from({ length: 8 }, () => word).join(' ')
    const text = `${para('alpha')}\n\n${para('beta')}\n\n${para('gamma')}`
    const chunks = chunkText(text, { maxTokens: 20, overlapTokens: 0 })
    expect(chunks[0]!.text).toBe(para('alpha'))
    expect(chunks[1]!.text.startsWith('beta')).toBe(true)
  })

  it('overlaps consecutive chunks by at most the overlap', () => {
    const text = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ')
    const chunks = chunkText(text, { maxTokens: 20, overlapTokens: 4 })
    for (let i = 1; i < chunks.length; i++) {
      const shared = text.slice(chunks[i]!.start, chunks[i - 1]!.end)
      expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end)
      expect(estimateTokens(shared)).toBeLessThanOrEqual(4)
    }
  })

  it('covers every non-space character, within the limit, making progress (property)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', 'b', 'я', 'ё', ' ', '\n', '.', '7', '😀', 'Ж', 'x', '\t'),
          maxLength: 600
        }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 20 }),
        (text, maxTokens, overlapTokens) => {
          const chunks = chunkText(text, { maxTokens, overlapTokens })
          if (text.trim() === '') return chunks.length === 0
          let covered = chunks[0]!.start
          if (text.slice(0, covered).trim() !== '') return false
          for (const chunk of chunks) {
            if (
              chunk.tokens > maxTokens ||
              chunk.text.trim() === '' ||
              chunk.text !== text.slice(chunk.start, chunk.end)
            )
              return false
            if (chunk.start > covered && text.slice(covered, chunk.start).trim() !== '') return false
            if (chunk.end <= covered) return false
            covered = chunk.end
          }
          return text.slice(covered).trim() === ''
        }
      ),
      { numRuns: 400 }
    )
  })
})

describe('chunkTextYielding', () => {
  it('chunks a big text section by section, keeping offsets, limits and every word', async () => {
    const paragraph = 'Резервное копирование базы выполняется каждую ночь. Backups run nightly. 😀\n\n'
    const text = paragraph.repeat(400)
    const chunks = await chunkTextYielding(text, { maxTokens: 50, overlapTokens: 5 }, 3000)
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i))
    for (const chunk of chunks) {
      expect(chunk.text).toBe(text.slice(chunk.start, chunk.end))
      expect(chunk.tokens).toBeLessThanOrEqual(50)
    }
    const words = (s: string): number => s.match(/[\p{L}\p{N}]+/gu)?.length ?? 0
    const covered = chunks.reduce(
      (sum, c, i) => sum + words(text.slice(i === 0 ? c.start : Math.max(c.start, chunks[i - 1]!.end), c.end)),
      0
    )
    expect(covered).toBe(words(text))
  })

  it('splits a section in a line without spaces between code points, not inside a surrogate pair', async () => {
    const text = '😀'.repeat(5000)
    const chunks = await chunkTextYielding(text, { maxTokens: 100, overlapTokens: 0 }, 1001)
    expect(chunks.map((c) => c.text).join('')).toBe(text)
  })
})
