import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { FIXTURES, useKnowledgeKits } from './test-support/test-kit'

const tempDir = useTempDirs()
const kit = useKnowledgeKits()

/** The fixture corpus copied to a temp folder, with the files an import must leave out added. */
function corpus(): string {
  const root = join(tempDir(), 'corpus')
  cpSync(FIXTURES, root, { recursive: true })
  mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true })
  writeFileSync(join(root, 'node_modules', 'pkg', 'readme.md'), '# Vendored\nnot mine\n')
  return root
}

describe('importing a folder', () => {
  it('reads text, Markdown and source files, and says why each other file was left out', async () => {
    const { knowledge, emitted } = kit()
    const root = corpus()
    const report = await knowledge.service.importFolder({ path: root, domain: 'ops' })
    expect(report).toMatchObject({ root, added: 6, updated: 0, unchanged: 0 })
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.path.slice(root.length + 1), s.reason]))
    expect(skipped).toEqual({
      'notes/blob.txt': 'binary content (a NUL byte in its first 8 KiB)',
      'notes/diagram.png': '.png: not a text or source file',
      'notes/empty.txt': 'empty',
      'notes/manual.pdf': 'PDF is not read yet: no PDF text extractor is installed'
    })
    const { nodes } = knowledge.service.list({ limit: 50 })
    expect(nodes.map((n) => n.title).sort()).toEqual([
      'Setting up Ollama for embeddings',
      'fusion.py',
      'heartbeat.ts',
      'sqlite-tips.txt',
      'База знаний корпорации',
      'квантование.txt'
    ])
    expect(nodes.every((n) => n.domain === 'ops' && n.chunkCount >= 1)).toBe(true)
    expect(emitted.filter((e) => e.name === 'knowledge.importProgress').at(-1)?.payload).toMatchObject({
      filesDone: 8,
      filesTotal: 8,
      done: true
    })
    expect(knowledge.service.stats()).toMatchObject({ nodes: 6, embeddedChunks: 0, embedding: { state: 'off' } })
  })

  it('titles and snippets a README as the words a reader sees, without its links, badges and marks', async () => {
    const { knowledge } = kit()
    const root = join(tempDir(), 'project')
    mkdirSync(root)
    writeFileSync(
      join(root, 'README.md'),
      '# [Harbor](https://harbor.example) **backup** tool [![build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example)\n\n[![build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example) [![npm](https://img.shields.io/npm/v/harbor.svg)](https://npm.im/harbor)\n\nHarbor rotates `nightly` snapshots. [Read the docs →](https://docs.example/start)\n'
    )
    await knowledge.service.importFolder({ path: root })
    const [hit] = (await knowledge.service.search({ query: 'snapshots' })).hits
    expect(hit?.node.title).toBe('Harbor backup tool')
    const snippet = hit?.snippet.map((p) => p.text).join('') ?? ''
    expect(snippet).toContain('Harbor rotates nightly snapshots. Read the docs →')
    expect(snippet).not.toMatch(/\]\(|!\[|`|\*\*|shields\.io/)
  })

  it('updates a changed file in place and leaves an unchanged one alone on a second import', async () => {
    const { knowledge } = kit()
    const root = corpus()
    await knowledge.service.importFolder({ path: root })
    const before = knowledge.service.list({ limit: 50 }).nodes.find((n) => n.title === 'sqlite-tips.txt')!
    writeFileSync(join(root, 'notes', 'sqlite-tips.txt'), 'SQLite tips, revised: checkpoint the WAL file often.\n')
    const report = await knowledge.service.importFolder({ path: root })
    expect(report).toMatchObject({ added: 0, updated: 1, unchanged: 5 })
    const after = knowledge.service.get(before.id)
    expect(after.content).toContain('revised')
    expect((await knowledge.service.search({ query: 'VACUUM' })).hits).toEqual([])
    expect((await knowledge.service.search({ query: 'checkpoint' })).hits[0]?.node.id).toBe(before.id)
  })

  it('refuses a relative path, a missing folder and a second import at once, naming the path', async () => {
    const { knowledge } = kit()
    await expect(knowledge.service.importFolder({ path: 'notes' })).rejects.toThrow(
      '"notes" is a relative path; type the full path of the folder'
    )
    await expect(knowledge.service.importFolder({ path: '/no/such/folder' })).rejects.toThrow(
      '/no/such/folder does not exist.'
    )
    const root = corpus()
    const first = knowledge.service.importFolder({ path: root })
    await expect(knowledge.service.importFolder({ path: root })).rejects.toThrow(`An import of ${root} is under way`)
    await first
  })
})

describe('full-text search', () => {
  it('finds known answers in English and in Russian, word forms included, and highlights them', async () => {
    const { knowledge } = kit()
    await knowledge.service.importFolder({ path: corpus() })
    const english = await knowledge.service.search({ query: 'pull nomic-embed-text' })
    expect(english.hits[0]?.node.title).toBe('Setting up Ollama for embeddings')
    expect(english.hits[0]?.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase())).toContain('nomic')
    expect(english.hits[0]?.lexical).toMatchObject({ rank: 1 })
    expect(english.hits[0]?.vector).toBeNull()

    // "базы" and "копии" are other forms of the "база" and "копия" in the text.
    const russian = await knowledge.service.search({ query: 'копии базы' })
    expect(russian.hits[0]?.node.title).toBe('База знаний корпорации')
    // Upper case and ё fold as in the document.
    expect((await knowledge.service.search({ query: 'ЁЛКА' })).hits[0]?.node.title).toBe('квантование.txt')
    // Porter stemming: "retries" meets "retrying".
    expect((await knowledge.service.search({ query: 'retries' })).hits[0]?.node.title).toBe(
      'Setting up Ollama for embeddings'
    )
  })

  it('says it is lexical only, and why, when no embedding model is connected', async () => {
    const { knowledge } = kit()
    await knowledge.service.importFolder({ path: corpus() })
    const result = await knowledge.service.search({ query: 'WAL' })
    expect(result).toMatchObject({
      mode: 'lexical',
      lexicalReason: expect.stringContaining('No embedding model is connected')
    })
  })

  it('filters by domain and by source folder, and respects top_k', async () => {
    const { knowledge } = kit()
    const root = corpus()
    await knowledge.service.importFolder({ path: join(root, 'notes'), domain: 'notes' })
    await knowledge.service.importFolder({ path: join(root, 'code'), domain: 'code' })
    expect(
      (await knowledge.service.search({ query: 'heartbeatSec rankings WAL', domain: 'code' })).hits.map(
        (h) => h.node.domain
      )
    ).toEqual(['code', 'code'])
    expect(
      (await knowledge.service.search({ query: 'heartbeatSec rankings WAL', source: join(root, 'notes') })).hits.map(
        (h) => h.node.title
      )
    ).toEqual(['sqlite-tips.txt'])
    expect((await knowledge.service.search({ query: 'heartbeatSec rankings WAL', topK: 1 })).hits).toHaveLength(1)
  })

  it('answers queries full of FTS syntax, quotes and NUL bytes without throwing', async () => {
    const { knowledge } = kit()
    await knowledge.service.importFolder({ path: corpus() })
    const nasty = [
      '"',
      '""',
      "'",
      '*',
      'NOT',
      'AND OR NOT',
      '(',
      ')',
      'WAL"',
      'text:WAL',
      '^WAL',
      'NEAR(WAL mode, 2)',
      '-WAL',
      'WAL*',
      '\u0000',
      'WAL\u0000mode',
      '{}[]',
      '\\',
      '%_',
      ';DROP TABLE knowledge_nodes;--',
      '🙂',
      ' ',
      'a'.repeat(4000)
    ]
    for (const query of nasty) {
      const result = await knowledge.service.search({ query })
      expect(Array.isArray(result.hits)).toBe(true)
    }
    expect((await knowledge.service.search({ query: 'WAL"' })).hits[0]?.node.title).toBe('sqlite-tips.txt')
    expect((await knowledge.service.search({ query: 'WAL\u0000mode' })).hits[0]?.node.title).toBe('sqlite-tips.txt')
    expect(knowledge.service.stats().nodes).toBe(6)
  })
})

describe('documents', () => {
  it('adds text, reads it back and deletes it with its chunks and index entries', async () => {
    const { knowledge, db } = kit()
    const node = await knowledge.service.addText({
      title: 'Zebra facts',
      content: 'Zebras sleep standing up.\u0000',
      domain: 'zoo'
    })
    expect(knowledge.service.get(node.id)).toMatchObject({
      title: 'Zebra facts',
      content: 'Zebras sleep standing up.',
      domain: 'zoo',
      chunkCount: 1,
      usageCount: 0
    })
    expect(node.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(node.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    knowledge.service.delete(node.id)
    expect(() => knowledge.service.get(node.id)).toThrow(`There is no document with id ${node.id}`)
    expect(() => knowledge.service.delete(node.id)).toThrow('to delete')
    expect(db.prepare('SELECT count(*) AS n FROM knowledge_chunks').get()).toEqual({ n: 0 })
    expect((await knowledge.service.search({ query: 'zebras' })).hits).toEqual([])
  })

  it('with replace, updates the document filed under the same source instead of adding another', async () => {
    const { knowledge } = kit()
    const source = 'workflow:run_1'
    const first = await knowledge.service.addText({
      title: 'Slugify v1',
      content: 'Keeps accents.',
      source,
      replace: true
    })
    const second = await knowledge.service.addText({
      title: 'Slugify v2',
      content: 'Transliterates accents.',
      source,
      replace: true
    })
    expect(second.id).toBe(first.id)
    expect(knowledge.service.stats().nodes).toBe(1)
    expect(knowledge.service.get(first.id)).toMatchObject({ title: 'Slugify v2', content: 'Transliterates accents.' })
    expect((await knowledge.service.search({ query: 'transliterates' })).hits[0]?.node.id).toBe(first.id)
    expect((await knowledge.service.search({ query: 'keeps' })).hits).toEqual([])
    // Without replace, the same source files a second document, as before.
    await knowledge.service.addText({ title: 'Other', content: 'Another text.', source })
    expect(knowledge.service.stats().nodes).toBe(2)
  })

  it('refuses a document of whitespace only', async () => {
    const { knowledge } = kit()
    await expect(knowledge.service.addText({ title: 'Blank', content: ' \n\t ' })).rejects.toThrow(
      'The document "Blank" holds only whitespace'
    )
    expect(knowledge.service.stats().nodes).toBe(0)
  })
})
