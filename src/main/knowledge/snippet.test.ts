import { describe, expect, it } from 'vitest'
import { makeSnippet } from './snippet'

const marked = (parts: { text: string; hit: boolean }[]): string =>
  parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('')

describe('snippets', () => {
  it('mark every word a query word starts, whatever its case and ending, and only at the start of a word', () => {
    expect(marked(makeSnippet('База данных и базой; базар. Избаза, BАЗЫ', ['баз'], 200))).toBe(
      '[База] данных и [базой]; [базар]. Избаза, BАЗЫ'
    )
    expect(marked(makeSnippet('Garage_door: GARAGES and a garage', ['garag', 'door'], 200))).toBe(
      '[Garage]_[door]: [GARAGES] and a [garage]'
    )
  })

  it('open a window around the first hit, cut at spaces, with ellipses where text was left out', () => {
    const text = `${'lead '.repeat(40)}the needle is here ${'tail '.repeat(40)}`
    const parts = makeSnippet(text, ['needle'], 60)
    expect(parts[0]).toEqual({ text: '…', hit: false })
    expect(parts.at(-1)).toEqual({ text: '…', hit: false })
    expect(parts.find((p) => p.hit)).toEqual({ text: 'needle', hit: true })
    expect(marked(parts).length).toBeLessThanOrEqual(60 + 2 + 2)
  })

  it('start at the beginning when nothing matches or nothing is asked, and never split a surrogate pair', () => {
    expect(marked(makeSnippet('one  two\nthree', [], 100))).toBe('one two three')
    expect(marked(makeSnippet('one two three', ['zzz'], 7))).toBe('one two…')
    const emoji = '😀'.repeat(30)
    const parts = makeSnippet(`${emoji} word`, ['word'], 21)
    for (const part of parts) expect(part.text).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/)
  })
})
