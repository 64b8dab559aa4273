import { describe, expect, it } from 'vitest'
import type { Embedder } from '../ports/embedder'
import { useTempDirs } from '../test-support/temp-dir'
import { KnowledgeError } from './knowledge-error'
import { conceptEmbedder, embedText, testConfig, useKnowledgeKits, type Kit } from './test-support/test-kit'
import { createVectorIndex } from './vector-index'

const tempDir = useTempDirs()
const kit = useKnowledgeKits()

async function embedded(k: Kit): Promise<void> {
  await k.knowledge.worker!.idle()
}

const DOCS = [
  { title: 'Garage', content: 'The garage keeps the old car; nobody drives it in winter.' },
  { title: 'Nightly copies', content: 'A snapshot of the database is taken every night and kept for three weeks.' },
  { title: 'Heartbeat', content: 'The worker proves it is alive every thirty seconds with a heartbeat.' }
]

describe('search by meaning', () => {
  it('embeds documents in the background in batches, with progress, and finds one that shares no word with the query', async () => {
    const embedder = conceptEmbedder()
    const k = kit({ embedder, config: testConfig({ 'knowledge.embedBatchSize': 2, 'knowledge.minSimilarity': 0.2 }) })
    for (const doc of DOCS) await k.knowledge.service.addText(doc)
    await embedded(k)
    expect(
      embedder.calls.filter((c) => c.length > 1 || DOCS.some((d) => d.content === c[0])).map((c) => c.length)
    ).toEqual([2, 1])
    expect(k.knowledge.service.stats()).toMatchObject({
      chunks: 3,
      embeddedChunks: 3,
      embeddedPercent: 100,
      collection: { modelId: 'test:concepts', dimension: 64 },
      embedding: { state: 'idle' }
    })

    const result = await k.knowledge.service.search({ query: 'automobile' })
    expect(result.mode).toBe('hybrid')
    expect(result.hits[0]).toMatchObject({ node: { title: 'Garage' }, lexical: null, vector: { rank: 1 } })
    expect(result.hits[0]!.vector!.similarity).toBeGreaterThan(0.2)
  })

  it('never says every chunk is embedded while chunks just added wait for their vectors', async () => {
    const embedder = conceptEmbedder()
    // A model server answers "which model?" over the network: the next pass starts a while after an import.
    let release: () => void = () => {}
    let asking: Promise<void> | null = null
    const slow: Embedder = {
      state: async () => {
        await asking
        return embedder.state()
      },
      embed: (texts) => embedder.embed(texts)
    }
    const k = kit({ embedder: slow })
    await k.knowledge.service.addText(DOCS[0]!)
    await embedded(k)
    expect(k.knowledge.service.stats()).toMatchObject({ embeddedPercent: 100, embedding: { state: 'idle' } })
    asking = new Promise((resolve) => (release = resolve))
    await k.knowledge.service.addText(DOCS[1]!)
    const meanwhile = k.knowledge.service.stats()
    release()
    expect(meanwhile).toMatchObject({ embeddedPercent: 50, embedding: { state: 'embedding', done: 1, total: 2 } })
    await embedded(k)
    expect(k.knowledge.service.stats()).toMatchObject({ embeddedPercent: 100, embedding: { state: 'idle' } })
  })

  it('fuses both sides: a document found by words and by meaning outranks one found by either alone', async () => {
    const embedder = conceptEmbedder()
    const k = kit({ embedder, config: testConfig({ 'knowledge.minSimilarity': 0.1 }) })
    await k.knowledge.service.addText({
      title: 'Words only',
      content: 'backup rotation policy: backup tapes and backup logs'
    })
    await k.knowledge.service.addText({ title: 'Both', content: 'backup snapshot nightly' })
    await k.knowledge.service.addText({ title: 'Meaning only', content: 'snapshot snapshot copy' })
    await embedded(k)
    const result = await k.knowledge.service.search({ query: 'backup nightly' })
    expect(result.hits[0]).toMatchObject({
      node: { title: 'Both' },
      lexical: { rank: expect.any(Number) },
      vector: { rank: expect.any(Number) }
    })
    expect(result.hits.map((h) => h.node.title)).toContain('Meaning only')
    for (let i = 1; i < result.hits.length; i++)
      expect(result.hits[i]!.score).toBeLessThanOrEqual(result.hits[i - 1]!.score)
  })

  it('forgets a deleted document’s vectors with it, and never returns it by meaning', async () => {
    const embedder = conceptEmbedder()
    const k = kit({ embedder, config: testConfig({ 'knowledge.minSimilarity': 0.2 }) })
    const garage = await k.knowledge.service.addText(DOCS[0]!)
    await k.knowledge.service.addText({ title: 'Parking', content: 'Park the car by the gate.' })
    await embedded(k)
    expect((await k.knowledge.service.search({ query: 'automobile' })).hits.map((h) => h.node.title).sort()).toEqual([
      'Garage',
      'Parking'
    ])
    k.knowledge.service.delete(garage.id)
    expect((await k.knowledge.service.search({ query: 'automobile' })).hits.map((h) => h.node.title)).toEqual([
      'Parking'
    ])
    expect(k.knowledge.service.stats()).toMatchObject({ chunks: 1, embeddedChunks: 1 })
  })

  it('drops vector hits below the minimum similarity', async () => {
    const embedder = conceptEmbedder()
    const k = kit({ embedder, config: testConfig({ 'knowledge.minSimilarity': 0.99 }) })
    for (const doc of DOCS) await k.knowledge.service.addText(doc)
    await embedded(k)
    expect((await k.knowledge.service.search({ query: 'automobile' })).hits).toEqual([])
  })

  it('finds new documents by full text before they are embedded, and embeds them once the model is reachable', async () => {
    const embedder = conceptEmbedder()
    embedder.available = false
    const k = kit({ embedder, config: testConfig({ 'knowledge.minSimilarity': 0.2 }) })
    await k.knowledge.service.addText(DOCS[0]!)
    await embedded(k)
    expect(k.knowledge.service.stats().embedding).toEqual({ state: 'waiting', reason: 'the test turned the model off' })
    expect((await k.knowledge.service.search({ query: 'garage' })).hits[0]?.node.title).toBe('Garage')
    embedder.available = true
    await expect.poll(() => k.knowledge.service.stats().embeddedChunks).toBe(1)
    expect((await k.knowledge.service.search({ query: 'automobile' })).hits[0]?.node.title).toBe('Garage')
  })
})

describe('dimension safety', () => {
  it('refuses a vector whose length differs from the collection’s, with a message naming both', async () => {
    const k = kit()
    const node = await k.knowledge.service.addText(DOCS[0]!)
    const index = createVectorIndex(k.db)
    const collection = index.createActive({ id: 'ollama:nomic-embed-text', dimension: 768 })
    const chunkId = (k.db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ?').get(node.id) as { id: number })
      .id
    let refusal: unknown
    try {
      index.put(collection, [{ chunkId, vector: new Float32Array(384).fill(0.1) }])
    } catch (error) {
      refusal = error
    }
    expect(refusal).toBeInstanceOf(KnowledgeError)
    expect(refusal).toMatchObject({
      code: 'dimension_mismatch',
      message: `A vector of 384 numbers was given for chunk ${chunkId}, but the collection of ollama:nomic-embed-text holds 768-number vectors. Vectors of two models are never mixed: re-embed the knowledge base with the new model instead.`
    })
    expect(index.embeddedCount(collection)).toBe(0)
    expect(() => index.nearest(collection, new Float32Array(384), 5)).toThrow('The query vector has 384 numbers')
  })

  it('when the model changes, searches by full text and offers a re-embed; the re-embed swaps collections only when complete', async () => {
    const embedder = conceptEmbedder({ id: 'small', dimension: 32 })
    const k = kit({ embedder, config: testConfig({ 'knowledge.minSimilarity': 0.2, 'knowledge.embedBatchSize': 1 }) })
    for (const doc of DOCS) await k.knowledge.service.addText(doc)
    await embedded(k)
    expect(k.knowledge.service.stats().collection).toMatchObject({ modelId: 'small', dimension: 32 })

    embedder.model = { id: 'large', dimension: 48 }
    k.knowledge.worker!.kick()
    await embedded(k)
    expect(k.knowledge.service.stats().embedding).toEqual({
      state: 'model_changed',
      active: { id: 'small', dimension: 32 },
      current: { id: 'large', dimension: 48 }
    })
    const meanwhile = await k.knowledge.service.search({ query: 'garage automobile' })
    expect(meanwhile).toMatchObject({
      mode: 'lexical',
      lexicalReason: expect.stringContaining('embedded with small (32 dimensions) but the model now is large (48)')
    })
    expect(meanwhile.hits[0]?.node.title).toBe('Garage')

    let release!: () => void
    embedder.gate = new Promise((resolve) => (release = resolve))
    await k.knowledge.service.reembed()
    // While the new collection fills, the old one stays the active one: never a mixed index.
    expect(k.knowledge.service.stats().collection).toMatchObject({ modelId: 'small' })
    embedder.gate = null
    release()
    await embedded(k)
    expect(k.knowledge.service.stats()).toMatchObject({
      collection: { modelId: 'large', dimension: 48 },
      embeddedChunks: 3,
      embedding: { state: 'idle' }
    })
    expect((await k.knowledge.service.search({ query: 'automobile' })).hits[0]).toMatchObject({
      node: { title: 'Garage' },
      vector: { rank: 1 }
    })
    expect(
      k.db
        .prepare(
          "SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'knowledge_vec_%' AND name NOT LIKE '%_codes' AND name NOT LIKE '%_gone' AND name NOT LIKE '%_centroids' AND name NOT LIKE '%_fine' AND type = 'table'"
        )
        .get()
    ).toEqual({ n: 1 })
  })

  it('resumes an interrupted re-embed at the next start, where it stopped', async () => {
    const dir = tempDir()
    const embedder = conceptEmbedder({ id: 'small', dimension: 32 })
    const first = kit({ embedder, config: testConfig({ 'knowledge.embedBatchSize': 1 }) }, dir)
    for (const doc of DOCS) await first.knowledge.service.addText(doc)
    await embedded(first)
    embedder.model = { id: 'large', dimension: 48 }
    let release!: () => void
    embedder.gate = new Promise((resolve) => (release = resolve))
    await first.knowledge.service.reembed()
    await expect.poll(() => embedder.calls.length).toBeGreaterThan(3)
    embedder.gate = null
    release()
    // Stop after the first batch of the re-embed landed: a quit mid-way.
    await first.knowledge.stop?.()
    first.db.close()

    const callsBefore = embedder.calls.length
    const second = kit({ embedder, config: testConfig({ 'knowledge.embedBatchSize': 1 }) }, dir)
    await embedded(second)
    await expect.poll(() => second.knowledge.service.stats().collection?.modelId).toBe('large')
    const reembedded = embedder.calls.slice(callsBefore).flat()
    expect(reembedded.length).toBeLessThan(3)
    expect(second.knowledge.service.stats()).toMatchObject({ embeddedChunks: 3, embedding: { state: 'idle' } })
  })

  it('reports a model that answers with the wrong number of dimensions as a failure, and keeps the index clean', async () => {
    const embedder = conceptEmbedder({ id: 'liar', dimension: 32 })
    const k = kit({ embedder })
    const realEmbed = embedder.embed.bind(embedder)
    embedder.embed = async (texts) => (await realEmbed(texts)).map(() => embedText('x', 16))
    await k.knowledge.service.addText(DOCS[0]!)
    await embedded(k)
    expect(k.knowledge.service.stats()).toMatchObject({
      embeddedChunks: 0,
      embedding: { state: 'failed', reason: expect.stringContaining('A vector of 16 numbers was given') }
    })
  })
})
