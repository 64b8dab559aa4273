import { describe, expect, it } from 'vitest'
import type { SearchHit } from './hybrid-search'
import { knowledgeContextPort } from './knowledge-context-port'
import { relevantHits } from './rag-context'
import { conceptEmbedder, testConfig, useKnowledgeKits } from './test-support/test-kit'
import { estimateTokens } from './token-estimate'

const kit = useKnowledgeKits()

const long = (word: string, n: number): string => Array.from({ length: n }, (_, i) => `${word} ${i}.`).join(' ')

describe('RAG context', () => {
  it('quotes the best hit in full when short, the others as excerpts of RAG_SNIPPET_CHARS, headed for citing', async () => {
    const k = kit({ config: testConfig({ 'rag.snippetChars': 80 }) })
    await k.knowledge.service.addText({
      title: 'Short answer',
      content: 'Retention of backups: three weeks on the external disk.',
      source: '/notes/backup.md'
    })
    await k.knowledge.service.addText({ title: 'Long note', content: `backups ${long('retention detail', 200)}` })
    const context = await k.knowledge.service.context({ query: 'backups retention' })
    expect(context.sources.map((s) => [s.title, s.full])).toEqual([
      ['Short answer', true],
      ['Long note', false]
    ])
    expect(
      context.text.startsWith(
        '[1] Short answer (/notes/backup.md)\nRetention of backups: three weeks on the external disk.\n\n[2] Long note\n'
      )
    ).toBe(true)
    expect(context.sources[1]!.chars).toBeLessThanOrEqual(81)
    expect(context).toMatchObject({ mode: 'lexical', cached: false })
  })

  it('quotes a best hit longer than RAG_TOP1_FULL_MAX_CHARS as an excerpt', async () => {
    const k = kit({ config: testConfig({ 'rag.top1FullMaxChars': 100, 'rag.snippetChars': 60 }) })
    await k.knowledge.service.addText({ title: 'Big', content: `zebra ${long('stripes', 100)}` })
    const context = await k.knowledge.service.context({ query: 'zebra' })
    expect(context.sources).toEqual([expect.objectContaining({ title: 'Big', full: false })])
    expect(context.sources[0]!.chars).toBeLessThanOrEqual(61)
  })

  it('stays within the token budget however many hits there are', async () => {
    const k = kit({ config: testConfig({ 'rag.budgetTokens': 150, 'rag.snippetChars': 400, 'knowledge.topK': 20 }) })
    for (let i = 0; i < 20; i++)
      await k.knowledge.service.addText({ title: `Note ${i}`, content: `kiwi ${long('fruit fact', 30)}` })
    const context = await k.knowledge.service.context({ query: 'kiwi' })
    expect(context.tokens).toBeLessThanOrEqual(150)
    expect(estimateTokens(context.text)).toBeLessThanOrEqual(150)
    expect(context.sources.length).toBeGreaterThanOrEqual(1)
    expect(context.sources.length).toBeLessThan(20)
  })

  it('embeds the query once per request, and serves the same question from the cache until it expires or the base changes', async () => {
    const embedder = conceptEmbedder()
    const k = kit({ embedder, config: testConfig({ 'knowledge.minSimilarity': 0.2 }) })
    await k.knowledge.service.addText({ title: 'Garage', content: 'The garage keeps the old car.' })
    await k.knowledge.worker!.idle()
    const queryCalls = (): number => embedder.calls.filter((c) => c.length === 1 && c[0]!.includes('automobile')).length

    const first = await k.knowledge.service.context({ query: 'Where is the automobile?' })
    expect(first).toMatchObject({ mode: 'hybrid', cached: false, sources: [{ title: 'Garage' }] })
    expect(queryCalls()).toBe(1)

    const second = await k.knowledge.service.context({ query: '  where IS the   automobile? ' })
    expect(second).toMatchObject({ cached: true, text: first.text })
    expect(queryCalls()).toBe(1)

    await k.knowledge.service.addText({ title: 'Parking', content: 'Park the car by the gate.' })
    expect((await k.knowledge.service.context({ query: 'Where is the automobile?' })).cached).toBe(false)
    expect(queryCalls()).toBe(2)
  })

  it('does not cache when RAG_CACHE_TTL_SEC is 0, and counts each use of a document', async () => {
    const k = kit({ config: testConfig({ 'rag.cacheTtlSec': 0 }) })
    const node = await k.knowledge.service.addText({ title: 'Fig', content: 'Figs ripen in August.' })
    await k.knowledge.service.context({ query: 'figs' })
    expect((await k.knowledge.service.context({ query: 'figs' })).cached).toBe(false)
    expect(k.knowledge.service.get(node.id).usageCount).toBe(2)
  })

  it('serves the chat pipeline through its port: context, cached answers', async () => {
    const k = kit()
    await k.knowledge.service.addText({ title: 'Fig', content: 'Figs ripen in August.' })
    const port = knowledgeContextPort(k.knowledge.service)
    expect(await port.contextFor('When do figs ripen?')).toEqual({
      text: '[1] Fig\nFigs ripen in August.',
      sources: [{ nodeId: expect.any(String), title: 'Fig' }]
    })
    expect(port.cachedAnswer('When do figs ripen?')).toBeNull()
    port.rememberAnswer('When do figs ripen?', 'In August.')
    expect(port.cachedAnswer('when do FIGS ripen?')).toBe('In August.')
  })

  it('cites only the note a question is about: not the recipe or the deploy note that share its "and" and "the"', async () => {
    const k = kit()
    await k.knowledge.service.addText({
      title: 'Backups',
      source: '/notes/backups.md',
      content:
        '# Backups [![build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example)\n\nOur backups run nightly with restic to the NAS. [Read the docs →](https://restic.readthedocs.io)\n\nRestore with `restic restore latest --target /srv`. **Keep** three monthly snapshots.\n'
    })
    await k.knowledge.service.addText({
      title: 'Deploying the blog',
      source: '/notes/deploy.md',
      content:
        '# Deploying the blog\n\nDeploy with `make deploy`; it builds Hugo and rsyncs to the VPS. Rollback: `make rollback`.\n'
    })
    await k.knowledge.service.addText({
      title: 'Pancake recipe',
      source: '/notes/cooking.md',
      content: '# Pancake recipe\nMix flour, milk and eggs. Fry in butter.\n'
    })
    const context = await k.knowledge.service.context({ query: 'How do we run backups and restore them?' })
    expect(context.sources.map((s) => s.title)).toEqual(['Backups'])
    expect(context.text).not.toContain('Pancake')
    // A question of stop words only still finds what holds them.
    expect((await k.knowledge.service.context({ query: 'and' })).sources.map((s) => s.title)).toContain(
      'Pancake recipe'
    )
  })
})

describe('relevantHits', () => {
  const hit = (id: string, bm25: number | null, similarity: number | null = null): SearchHit => ({
    node: { id, title: id } as SearchHit['node'],
    chunkId: 0,
    chunkOrdinal: 0,
    chunkText: id,
    score: 0,
    lexical: bm25 === null ? null : { rank: 1, bm25 },
    vector: similarity === null ? null : { rank: 1, similarity },
    snippet: []
  })

  it('drops a hit found by its words alone at under a tenth of the best score, and keeps one found by meaning', () => {
    const hits = [
      hit('backups', 2.4),
      hit('restore', 0.6),
      hit('pancake', 1.3e-6),
      hit('near', 1e-6, 0.71),
      hit('vec', null, 0.6)
    ]
    expect(relevantHits(hits).map((h) => h.node.id)).toEqual(['backups', 'restore', 'near', 'vec'])
  })

  it('keeps every hit when none was found by words', () => {
    expect(relevantHits([hit('a', null, 0.9), hit('b', null, 0.3)]).map((h) => h.node.id)).toEqual(['a', 'b'])
  })
})
