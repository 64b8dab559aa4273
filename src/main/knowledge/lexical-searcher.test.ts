import { once } from 'node:events'
import type { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { bundledMigrations } from '../db/bundled-migrations'
import { openDatabase, type Db } from '../db/database'
import { migrate } from '../db/migrations'
import { memoryLogger } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import { createChunkNodes } from './chunk-nodes'
import { hybridSearch, type SearchResult, type SearchSources } from './hybrid-search'
import { createKnowledgeStore, type KnowledgeStore, type LexicalHit } from './knowledge-store'
import { createLexicalSearcher, type LexicalSearcher, type LexicalWorkerData } from './lexical-searcher'
import { embedText, useKnowledgeKits, vectorTestDb } from './test-support/test-kit'
import { startLexicalSourceWorker } from './test-support/lexical-source-worker'
import { createVectorIndex, type Collection, type VectorIndex } from './vector-index'

const tempDir = useTempDirs()
const kit = useKnowledgeKits()
const DIMENSION = 64
const closing: LexicalSearcher[] = []
afterEach(async () => {
  for (const searcher of closing.splice(0)) await searcher.close()
})

const DOCUMENTS = [
  'Ollama serves embeddings over HTTP; the model must be pulled first',
  'SQLite in WAL mode lets readers run beside the writer',
  'База знаний хранит документы и их фрагменты',
  'Резервное копирование базы данных каждую ночь',
  'The worker pool claims tasks in groups and commits them together',
  'Embeddings of the wrong dimension are refused by the collection',
  'Heartbeat files tell the supervisor a model server is alive'
]
const QUERIES = [
  'embeddings model',
  'базы данных',
  'WAL readers writer',
  'the',
  'supervisor heartbeat',
  'копия',
  'nothing-like-this'
]

function corpus(db: Db): { store: KnowledgeStore; index: VectorIndex; collection: Collection } {
  const store = createKnowledgeStore(db)
  const index = createVectorIndex(db)
  const collection = index.createActive({ id: 'test:concepts', dimension: DIMENSION })
  for (let round = 0; round < 3; round++)
    DOCUMENTS.forEach((text, i) => {
      const node = store.insert(
        { title: `d${round}.${i}`, content: text, domain: i % 2 ? 'ops' : 'notes', source: `/notes/${round}/${i}.md` },
        [
          { text, tokens: 12 },
          { text: `${text} (again, part two of ${round})`, tokens: 14 }
        ]
      )
      const ids = db.prepare('SELECT id, text FROM knowledge_chunks WHERE node_id = ?').raw().all(node.id) as [
        number,
        string
      ][]
      index.put(
        collection,
        ids.map(([chunkId, chunk]) => ({ chunkId, vector: embedText(chunk, DIMENSION) }))
      )
    })
  return { store, index, collection }
}

/** A lexical searcher on a worker started from the source, with a handle on the worker to kill it. */
function onWorker(
  db: Db,
  store: KnowledgeStore
): { searcher: LexicalSearcher; worker: () => Worker; log: ReturnType<typeof memoryLogger> } {
  let started: Worker | null = null
  const log = memoryLogger()
  const searcher = createLexicalSearcher({
    db,
    store,
    log: log.logger,
    startWorker: (data: LexicalWorkerData) => (started = startLexicalSourceWorker(data))
  })
  closing.push(searcher)
  return { searcher, worker: () => started!, log }
}

async function searchAll(sources: SearchSources, collection: Collection): Promise<SearchResult[]> {
  const results: SearchResult[] = []
  for (const query of QUERIES)
    for (const filter of [{}, { domain: 'ops' }, { source: '/notes/1/' }])
      results.push(
        await hybridSearch(
          sources,
          { query, topK: 5, minSimilarity: 0, ...filter },
          { kind: 'on', collection, vector: embedText(query, DIMENSION) }
        )
      )
  return results
}

describe('the lexical half on its worker', () => {
  it('finds exactly what the search in this thread finds, and what it found reading chunk rows for their nodes', async () => {
    const db = vectorTestDb(tempDir())
    const { store, index, collection } = corpus(db)
    const { searcher } = onWorker(db, store)
    expect(await searcher.ready).toBe(true)
    const loaded = createChunkNodes(db)
    loaded.load()
    const here = createLexicalSearcher({ db, store, log: memoryLogger().logger, startWorker: null })
    const worker = await searchAll({ store, index, chunkNodes: loaded, lexical: searcher, workerFrom: 0 }, collection)
    const inThread = await searchAll({ store, index, chunkNodes: loaded, lexical: here, workerFrom: 0 }, collection)
    // A map never loaded reads every chunk's row for its node, as the search did before the map.
    const fromRows = await searchAll(
      { store, index, chunkNodes: createChunkNodes(db), lexical: here, workerFrom: 0 },
      collection
    )
    expect(searcher.onWorker).toBe(true)
    expect(worker).toEqual(inThread)
    expect(worker).toEqual(fromRows)
    expect(worker.filter((r) => r.hits.length > 0).length).toBeGreaterThan(10)
    expect(worker.some((r) => r.hits.some((h) => h.lexical !== null))).toBe(true)
    db.close()
  })

  it('goes on in this thread when its worker dies, the search in flight answered too, and says so in the log', async () => {
    const db = vectorTestDb(tempDir())
    const { store, index, collection } = corpus(db)
    const { searcher, worker, log } = onWorker(db, store)
    expect(await searcher.ready).toBe(true)
    const chunkNodes = createChunkNodes(db)
    chunkNodes.load()
    const sources = { store, index, chunkNodes, lexical: searcher, workerFrom: 0 }
    const expected = await searchAll(sources, collection)
    const inFlight = searcher.search({ terms: ['"embeddings"'] }, 50, {}, true)
    const exited = once(worker(), 'exit')
    await worker().terminate()
    await exited
    expect((await inFlight).length).toBeGreaterThan(0)
    expect(searcher.onWorker).toBe(false)
    expect(await searchAll(sources, collection)).toEqual(expected)
    expect(log.records.some((r) => r.level === 'warn' && /lexical.*worker failed/.test(r.msg))).toBe(true)
    db.close()
  })

  it('is asked to use its worker only with a vector side and from the size the scan is long enough to hide it', async () => {
    const db = vectorTestDb(tempDir())
    const { store, index, collection } = corpus(db)
    const chunkNodes = createChunkNodes(db)
    chunkNodes.load()
    const asked: (boolean | undefined)[] = []
    const here = createLexicalSearcher({ db, store, log: memoryLogger().logger, startWorker: null })
    const recording: LexicalSearcher = {
      ...here,
      search: (fts, limit, filter, worker) => {
        asked.push(worker)
        return here.search(fts, limit, filter, worker)
      }
    }
    const search = (workerFrom: number, vector: boolean): Promise<SearchResult> =>
      hybridSearch(
        { store, index, chunkNodes, lexical: recording, workerFrom },
        { query: 'embeddings', topK: 7, minSimilarity: 0 },
        vector
          ? { kind: 'on', collection, vector: embedText('embeddings', DIMENSION) }
          : { kind: 'off', reason: 'test' }
      )
    await search(chunkNodes.count, true)
    await search(chunkNodes.count + 1, true)
    await search(0, false)
    expect(chunkNodes.count).toBe(DOCUMENTS.length * 3 * 2)
    expect(asked).toEqual([true, false, false])
    db.close()
  })

  it('searches in this thread inside a transaction, where the worker cannot see the uncommitted chunks', async () => {
    const db = vectorTestDb(tempDir())
    const { store } = corpus(db)
    const { searcher } = onWorker(db, store)
    expect(await searcher.ready).toBe(true)
    let found: Promise<LexicalHit[]> | null = null
    // Rolled back: only a search in this thread, inside the transaction, can see the chunk.
    expect(() =>
      db.transaction(() => {
        store.insert({ title: 'new', content: 'zebrafish', domain: null, source: null }, [
          { text: 'zebrafish', tokens: 1 }
        ])
        found = searcher.search({ terms: ['"zebrafish"'] }, 50, {}, true)
        throw new Error('rolled back')
      })()
    ).toThrow('rolled back')
    expect(await found!).toHaveLength(1)
    expect(await searcher.search({ terms: ['"zebrafish"'] }, 50, {}, true)).toHaveLength(0)
    db.close()
  })

  it('is started by the capability and stopped with it; an in-memory database keeps it in this thread', async () => {
    let started: Worker | null = null
    const { knowledge } = kit({ startLexicalWorker: (data) => (started = startLexicalSourceWorker(data)) })
    expect(started).not.toBeNull()
    const exited = once(started!, 'exit')
    await knowledge.service.addText({ title: 'Ollama', content: 'Ollama serves embeddings' })
    expect((await knowledge.service.search({ query: 'embeddings' })).hits.map((h) => h.node.title)).toEqual(['Ollama'])
    await knowledge.stop?.()
    await exited

    const inMemory = openDatabase(':memory:')
    migrate(inMemory, bundledMigrations())
    const memory = createLexicalSearcher({
      db: inMemory,
      store: createKnowledgeStore(inMemory),
      log: memoryLogger().logger,
      startWorker: () => {
        throw new Error('not to be started for an in-memory database')
      }
    })
    expect(await memory.ready).toBe(false)
    inMemory.close()
  })
})
