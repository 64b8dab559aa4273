import { describe, expect, it } from 'vitest'
import { markdownTitle, markdownToPlain } from './markdown-plain'

describe('Markdown as plain text', () => {
  it('keeps the words of links, badges, emphasis, code and headings and drops their marks', () => {
    const readme = [
      '# **Fast** _local_ models',
      '[![build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example/x) [![npm](https://img.shields.io/npm/v/kos.svg "npm")](https://npm.im/kos)',
      '> Run `ollama serve`, then [Read the docs →](https://docs.example/start) or see <https://example.org>.',
      '```sh',
      'ollama pull nomic-embed-text',
      '```',
      '<p align="center"><img src="logo.png" alt="logo"></p>',
      '| a | b |',
      '|---|:-:|',
      '[docs]: https://docs.example',
      'Also ~~old~~ and [the guide][docs].'
    ].join('\n')
    const plain = markdownToPlain(readme).replace(/\s+/g, ' ').trim()
    expect(plain).toBe(
      'Fast local models build npm Run ollama serve, then Read the docs → or see https://example.org. ollama pull nomic-embed-text | a | b | Also old and the guide.'
    )
  })

  it('leaves code and plain prose as they were', () => {
    for (const text of [
      'const total = a * b * c',
      'read_file_name(path)',
      'Array<string> and Map<K, V>',
      'price is 5 * 3 = 15',
      '2 * x_1 + y_2'
    ])
      expect(markdownToPlain(text)).toBe(text)
  })

  it('titles a heading without its badges: no alt text is left to read as part of the name', () => {
    expect(
      markdownTitle(
        'Backups [![build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example) ![logo](logo.png "Logo")'
      )
    ).toBe('Backups')
    expect(markdownTitle('[Harbor](https://harbor.example) **backup** `tool`')).toBe('Harbor backup tool')
  })
})
