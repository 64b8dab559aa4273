import { stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type {
  EmbeddingStatus,
  ImportProgress,
  ImportReport,
  KnowledgeStats,
  RagContext
} from '../../shared/contract/knowledge-contract'
import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import type { ChunkNodes } from './chunk-nodes'
import type { Embedder } from '../ports/embedder'
import { chunkTextYielding } from './chunker'
import type { EmbeddingWorker } from './embedding-worker'
import { listFolder, readTextFile, titleOf, type FolderEntry } from './folder-source'
import { hybridSearch, type SearchResult, type VectorSide } from './hybrid-search'
import { KnowledgeError } from './knowledge-error'
import type { KnowledgeStore, NodeFilter, NodeSummary, StoredNode } from './knowledge-store'
import { LEXICAL_WORKER_FROM, type LexicalSearcher } from './lexical-searcher'
import { assembleContext } from './rag-context'
import { normalizePrompt, type ResponseCache } from './response-cache'
import { cleanQuery, cleanText } from './text-clean'
import { createTtlCache } from './ttl-cache'
import type { VectorIndex } from './vector-index'

export interface SearchInput extends NodeFilter {
  readonly query: string
  readonly topK?: number | undefined
}

export interface KnowledgeService {
  addText(input: {
    title: string
    content: string
    domain?: string | undefined
    source?: string | undefined
    /** Replace the document filed under `source` (same id) instead of adding another. */
    replace?: boolean | undefined
  }): Promise<NodeSummary>
  importFolder(input: { path: string; domain?: string | undefined }): Promise<ImportReport>
  get(id: string): StoredNode
  list(input: Parameters<KnowledgeStore['list']>[0]): ReturnType<KnowledgeStore['list']>
  delete(id: string): void
  /** The query is embedded at most once; pass `queryVector` to reuse one already computed. */
  search(input: SearchInput, queryVector?: VectorSide): Promise<SearchResult>
  /** The context for a question, from the cache while fresh. */
  context(input: { query: string } & NodeFilter): Promise<RagContext>
  /** The vector side for a query: embeds it once, or says why search is lexical only. */
  vectorSide(query: string): Promise<VectorSide>
  stats(): KnowledgeStats
  reembed(): Promise<EmbeddingStatus>
  readonly responses: ResponseCache
}

export interface KnowledgeServiceDeps {
  readonly db: Db
  readonly config: Pick<ConfigService, 'get'>
  readonly store: KnowledgeStore
  /** Null when sqlite-vec could not be loaded; the reason is in vectorOff. */
  readonly index: VectorIndex | null
  readonly chunkNodes: ChunkNodes
  readonly lexical: LexicalSearcher
  readonly embedder: Embedder | null
  readonly worker: EmbeddingWorker | null
  /** Why search by meaning is off when there is no index or no embedder. */
  readonly vectorOff: string
  readonly responses: ResponseCache
  readonly onChange: () => void
  readonly onImportProgress: (progress: ImportProgress) => void
}

const PROGRESS_EVERY_MS = 150
const SIZE_TTL_MS = 30_000

export function createKnowledgeService(deps: KnowledgeServiceDeps): KnowledgeService {
  const { store, index, config } = deps
  const contexts = createTtlCache<RagContext>({ ttlSec: () => config.get('rag.cacheTtlSec'), maxEntries: 256 })
  let importing: string | null = null

  const chunksOf = (text: string): Promise<{ text: string; tokens: number }[]> => {
    const maxTokens = config.get('knowledge.chunkTokens')
    return chunkTextYielding(text, {
      maxTokens,
      overlapTokens: Math.floor((maxTokens * config.get('knowledge.chunkOverlapPercent')) / 100)
    })
  }

  const changed = (): void => {
    sized = null
    contexts.clear()
    deps.worker?.kick()
    deps.onChange()
  }

  // dbstat walks every page of the database, so its answer is kept a while:
  // stats are pushed twice a second while embedding and polled by health.
  let sized: { at: number; bytes: number } | null = null
  const bytesOnDisk = (): number => {
    if (!sized || Date.now() - sized.at > SIZE_TTL_MS) {
      const { bytes } = deps.db
        .prepare("SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat WHERE name LIKE 'knowledge%'")
        .get() as { bytes: number }
      sized = { at: Date.now(), bytes }
    }
    return sized.bytes
  }

  const embeddingStatus = (): EmbeddingStatus => deps.worker?.status() ?? { state: 'off', reason: deps.vectorOff }

  const service: KnowledgeService = {
    responses: deps.responses,
    async addText(input) {
      const content = cleanText(input.content)
      const chunks = await chunksOf(content)
      if (chunks.length === 0)
        throw new KnowledgeError(
          'invalid_input',
          `The document "${input.title}" holds only whitespace; give it some text.`
        )
      const fields = { title: cleanText(input.title).trim(), content, domain: input.domain ?? null }
      const node =
        input.replace && input.source
          ? store.upsertBySource({ ...fields, source: input.source }, chunks).node
          : store.insert({ ...fields, source: input.source ?? null }, chunks)
      changed()
      return node
    },

    async importFolder(input) {
      if (importing)
        throw new KnowledgeError(
          'conflict',
          `An import of ${importing} is under way; wait for it to finish, then import ${input.path}.`
        )
      const root = absolutePath(input.path)
      importing = root
      try {
        return await importRoot(root, input.domain ?? null)
      } finally {
        importing = null
      }
    },

    get(id) {
      const node = store.get(id)
      if (!node)
        throw new KnowledgeError(
          'not_found',
          `There is no document with id ${id}; it may have been deleted. Search again.`
        )
      return node
    },
    list: (input) => store.list(input),
    delete(id) {
      if (!store.delete(id))
        throw new KnowledgeError(
          'not_found',
          `There is no document with id ${id} to delete; it may have been deleted already.`
        )
      changed()
    },

    async vectorSide(query) {
      if (!index || !deps.embedder) return { kind: 'off', reason: deps.vectorOff }
      const active = index.active()
      if (!active)
        return {
          kind: 'off',
          reason:
            'Nothing has been embedded yet, so search is by full text only until an embedding model has read the documents.'
        }
      const state = await deps.embedder.state()
      if (!state.available)
        return {
          kind: 'off',
          reason: `No embedding model is reachable (${state.reason}), so search is by full text only.`
        }
      if (state.model.id !== active.modelId || state.model.dimension !== active.dimension) {
        return {
          kind: 'off',
          reason: `The documents were embedded with ${active.modelId} (${active.dimension} dimensions) but the model now is ${state.model.id} (${state.model.dimension}); re-embed to search by meaning again.`
        }
      }
      try {
        const [vector] = await deps.embedder.embed([cleanQuery(query)])
        if (!vector || vector.length !== active.dimension) {
          return {
            kind: 'off',
            reason: `${active.modelId} answered the query with ${vector?.length ?? 0} numbers instead of ${active.dimension}; search is by full text only.`
          }
        }
        return { kind: 'on', collection: active, vector }
      } catch (error) {
        return {
          kind: 'off',
          reason: `Embedding the query with ${active.modelId} failed (${(error as Error).message}); search is by full text only.`
        }
      }
    },

    async search(input, queryVector) {
      const side = queryVector ?? (await service.vectorSide(input.query))
      return hybridSearch(
        { store, index, chunkNodes: deps.chunkNodes, lexical: deps.lexical, workerFrom: LEXICAL_WORKER_FROM },
        {
          query: cleanQuery(input.query),
          topK: input.topK ?? config.get('knowledge.topK'),
          minSimilarity: config.get('knowledge.minSimilarity'),
          domain: input.domain,
          source: input.source
        },
        side
      )
    },

    async context(input) {
      const key = JSON.stringify([normalizePrompt(input.query), input.domain ?? null, input.source ?? null])
      const cached = contexts.get(key)
      if (cached) return { ...cached, cached: true }
      const side = await service.vectorSide(input.query)
      const result = await service.search({ query: input.query, domain: input.domain, source: input.source }, side)
      const assembled = assembleContext(result.hits, (id) => store.get(id)?.content ?? null, {
        budgetTokens: config.get('rag.budgetTokens'),
        snippetChars: config.get('rag.snippetChars'),
        top1FullMaxChars: config.get('rag.top1FullMaxChars')
      })
      store.countUsage(assembled.sources.map((s) => s.nodeId))
      const context: RagContext = {
        query: input.query,
        ...assembled,
        mode: result.mode,
        lexicalReason: result.lexicalReason,
        cached: false
      }
      contexts.set(key, context)
      return context
    },

    stats() {
      const { nodes, chunks } = store.counts()
      const active = index?.active() ?? null
      const embeddedChunks = active && index ? index.embeddedCount(active) : 0
      const bytes = bytesOnDisk()
      return {
        nodes,
        chunks,
        embeddedChunks,
        embeddedPercent: chunks === 0 ? 0 : Math.round((embeddedChunks / chunks) * 1000) / 10,
        bytesOnDisk: bytes,
        collection: active
          ? { modelId: active.modelId, dimension: active.dimension, createdAt: active.createdAt }
          : null,
        embedding: embeddingStatus(),
        domains: store.domains(),
        responseCacheEntries: deps.responses.size()
      }
    },

    async reembed() {
      if (!deps.worker)
        throw new KnowledgeError('unavailable', `Re-embedding needs an embedding model: ${deps.vectorOff}`)
      await deps.worker.startReembed()
      deps.onChange()
      return deps.worker.status()
    }
  }

  async function importRoot(root: string, domain: string | null): Promise<ImportReport> {
    const started = Date.now()
    const info = await stat(root).catch(() => null)
    if (!info)
      throw new KnowledgeError(
        'invalid_input',
        `${root} does not exist. Type the full path of a folder (or a file) on this computer.`
      )
    const maxBytes = config.get('knowledge.maxFileMb') * 1024 * 1024
    let entries: FolderEntry[]
    if (info.isDirectory()) entries = await listFolder(root, maxBytes)
    else if (info.isFile())
      entries =
        info.size > maxBytes
          ? [{ kind: 'skipped', path: root, reason: 'over the knowledge.maxFileMb limit' }]
          : [{ kind: 'file', path: root, bytes: info.size }]
    else
      throw new KnowledgeError(
        'invalid_input',
        `${root} is neither a folder nor a file; type the path of a folder to import.`
      )

    const files = entries.filter((e) => e.kind === 'file')
    const report = {
      root,
      added: 0,
      updated: 0,
      unchanged: 0,
      chunks: 0,
      skipped: entries.flatMap((e) => (e.kind === 'skipped' ? [{ path: e.path, reason: e.reason }] : []))
    }
    let lastProgress = 0
    for (const [done, file] of files.entries()) {
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now()
        deps.onImportProgress({ root, filesDone: done, filesTotal: files.length, current: file.path, done: false })
      }
      const read = await readTextFile(file.path).catch((error: unknown) => ({
        ok: false as const,
        reason: (error as Error).message
      }))
      if (!read.ok) {
        report.skipped.push({ path: file.path, reason: read.reason })
        continue
      }
      const content = cleanText(read.text)
      const chunks = await chunksOf(content)
      if (chunks.length === 0) {
        report.skipped.push({ path: file.path, reason: 'empty' })
        continue
      }
      let upserted: ReturnType<typeof store.upsertBySource>
      try {
        upserted = store.upsertBySource(
          { title: titleOf(file.path, content), content, domain, source: file.path },
          chunks
        )
      } catch (error) {
        // Each file is its own transaction: what was imported stays, this one is rolled back. Say what is missing.
        throw Object.assign(error as Error, {
          detail: `${done} of ${files.length} files of ${root} were imported before this one failed; import the folder again to add the rest (nothing is added twice).`
        })
      }
      report[upserted.outcome]++
      if (upserted.outcome !== 'unchanged') report.chunks += chunks.length
      // One file at a time, with the loop let go between them, so calls and
      // events keep flowing during a long import.
      await yieldToLoop()
    }
    deps.onImportProgress({ root, filesDone: files.length, filesTotal: files.length, current: null, done: true })
    if (report.added + report.updated > 0) changed()
    return { ...report, durationMs: Date.now() - started }
  }

  return service
}

function absolutePath(path: string): string {
  const expanded = path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path
  if (!isAbsolute(expanded))
    throw new KnowledgeError(
      'invalid_input',
      `"${path}" is a relative path; type the full path of the folder, e.g. /Users/you/Notes or ~/Notes.`
    )
  return resolve(expanded)
}
