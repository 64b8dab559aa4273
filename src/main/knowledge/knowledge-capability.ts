import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { Embedder } from '../ports/embedder'
import type { Capability } from '../rpc/handler-types'
import type { Worker } from 'node:worker_threads'
import { createChunkNodes } from './chunk-nodes'
import { createEmbeddingWorker, type EmbeddingWorker } from './embedding-worker'
import { rebuildFullTextIndex } from './full-text-index'
import { createFullTextMerger } from './fts-merge'
import { knowledgeHandlers } from './knowledge-handlers'
import { createKnowledgeService, type KnowledgeService } from './knowledge-service'
import { createKnowledgeStore } from './knowledge-store'
import { createLexicalSearcher, type LexicalWorkerData } from './lexical-searcher'
import { loadVectorExtension } from './load-vector-extension'
import { createResponseCache } from './response-cache'
import { backfillStems } from './stems-backfill'
import { createVectorIndex } from './vector-index'

export interface KnowledgeDeps {
  readonly db: Db
  readonly config: Pick<ConfigService, 'get'>
  readonly events: EventBus
  readonly log: Logger
  /** The models router; null until one is plugged in, and search is then by full text only. */
  readonly embedder: Embedder | null
  /** How long to wait before asking an unreachable embedding model again. */
  readonly embedRetryMs?: number
  /** False for one-shot CLI commands: nothing is embedded in the background. */
  readonly background?: boolean
  /** Copies the database aside before a repair; returns the copy's path (db/backup-copy.ts). */
  readonly backup: (reason: string) => string
  /** Told of each search (by a person, the CLI or MCP) that found nothing: the learning generator reads these as gaps. */
  readonly onSearchWithoutResult?: (query: string, domain: string | null) => void
  /** Starts the lexical search worker (lexical-worker.ts, built beside the main entry); without it the lexical half runs on this thread. */
  readonly startLexicalWorker?: ((data: LexicalWorkerData) => Worker) | null
}

export interface KnowledgeCapability extends Capability<'knowledge'> {
  /** For other capabilities (chat) through the composition root: search, RAG context, response cache. */
  readonly service: KnowledgeService
  readonly worker: EmbeddingWorker | null
}

const CHANGED_EVERY_MS = 500
/** Blocks of fine codes per step of the background load: ~800 KiB read, a few ms between other work. */
const WARM_BLOCKS_PER_STEP = 4
const WARM_AGAIN_MS = 10_000
/** Nodes per step of loading each chunk's node into memory: ~10 ms (26 steps at a million chunks). */
const MAP_NODES_PER_STEP = 4096
/** How often the full-text index's segments are counted when no merge is under way: ~2 ms at a million chunks. */
const MERGE_AGAIN_MS = 30_000

/**
 * The knowledge base, built once by the composition root: sqlite-vec is
 * loaded into the shared connection here, and the background embedder
 * starts on the chunks that have no vector yet.
 */
export function createKnowledgeCapability(deps: KnowledgeDeps): KnowledgeCapability {
  const log = deps.log.child({ capability: 'knowledge' })
  const extension = loadVectorExtension(deps.db)
  if (!extension.ok) log.warn('vector search off', { reason: extension.reason })
  const index = extension.ok ? createVectorIndex(deps.db) : null
  const store = createKnowledgeStore(deps.db)
  const chunkNodes = createChunkNodes(deps.db)
  // A one-shot command's search would not wait for the worker to start, so it is started by the running app alone.
  const lexical = createLexicalSearcher({
    db: deps.db,
    store,
    log,
    startWorker: deps.background === false ? null : (deps.startLexicalWorker ?? null)
  })
  const vectorOff = !extension.ok
    ? extension.reason
    : !deps.embedder
      ? 'No embedding model is connected to the knowledge base in this build, so search is by full text only.'
      : 'Nothing is embedded in the background by a one-shot command; the running app does that.'

  // Stats are emitted at most twice a second, however fast batches finish.
  let pending: NodeJS.Timeout | null = null
  let stopped = false
  const emitChanged = (): void => {
    if (pending || stopped) return
    pending = setTimeout(() => {
      pending = null
      if (!stopped) deps.events.emit('knowledge.changed', service.stats())
    }, CHANGED_EVERY_MS)
    pending.unref()
  }

  const worker =
    index && deps.embedder && deps.background !== false
      ? createEmbeddingWorker({
          index,
          embedder: deps.embedder,
          batchSize: () => deps.config.get('knowledge.embedBatchSize'),
          countChunks: () => store.counts().chunks,
          onStatus: emitChanged,
          log,
          retryMs: deps.embedRetryMs ?? 30_000
        })
      : null

  const service = createKnowledgeService({
    db: deps.db,
    config: deps.config,
    store,
    index,
    chunkNodes,
    lexical,
    embedder: deps.embedder,
    worker,
    vectorOff,
    responses: createResponseCache(deps.db, { ttlSec: () => deps.config.get('responseCache.ttlSec') }),
    onChange: emitChanged,
    onImportProgress: (progress) => deps.events.emit('knowledge.importProgress', progress)
  })
  worker?.kick()

  // Chunks stored before Russian stems were indexed get them a batch at a time, between other work.
  let backfill: NodeJS.Immediate | null = null
  const backfillStep = (): void => {
    backfill = null
    if (stopped) return
    try {
      if (backfillStems(deps.db)) backfill = setImmediate(backfillStep)
    } catch (error) {
      log.warn('Russian stems backfill stopped; it resumes at the next start', { reason: (error as Error).message })
    }
  }
  if (deps.background !== false) backfill = setImmediate(backfillStep)

  // The active collection's fine codes are loaded a few blocks at a time (computed from the vectors, once, for blocks
  // stored before them); a pass that finds nothing to do looks again later, for slots that moved behind it.
  let warming: { next: NodeJS.Immediate } | { later: NodeJS.Timeout } | null = null
  const warmStep = (): void => {
    warming = null
    if (stopped || !index) return
    try {
      const active = index.active()
      if (active && index.warm(active, WARM_BLOCKS_PER_STEP)) warming = { next: setImmediate(warmStep) }
      else warming = { later: setTimeout(warmStep, WARM_AGAIN_MS).unref() }
    } catch (error) {
      log.warn('Loading the fine vector codes stopped; searches read vector rows instead until the next start', {
        reason: (error as Error).message
      })
    }
  }
  if (deps.background !== false && index) warming = { next: setImmediate(warmStep) }

  // Each chunk's node, read a slice of nodes at a time after the start (the first search does not wait: until then,
  // rows are read); a one-shot command reads rows.
  let mapping: NodeJS.Immediate | null = null
  const mapStep = (): void => {
    mapping = null
    if (stopped) return
    try {
      if (chunkNodes.loadStep(MAP_NODES_PER_STEP)) mapping = setImmediate(mapStep)
    } catch (error) {
      log.warn("The chunks' nodes were not loaded into memory; searches read them from their rows", {
        reason: (error as Error).message
      })
    }
  }
  if (deps.background !== false) mapping = setImmediate(mapStep)

  // The full-text index's segments merged into one after imports, a few pages a step (fts-merge.ts says when).
  const merger = createFullTextMerger(deps.db)
  let merging: { next: NodeJS.Immediate } | { later: NodeJS.Timeout } | null = null
  const mergeStep = (): void => {
    merging = null
    if (stopped) return
    try {
      merging = merger.step()
        ? { next: setImmediate(mergeStep) }
        : { later: setTimeout(mergeStep, MERGE_AGAIN_MS).unref() }
    } catch (error) {
      log.warn('Merging the full-text index stopped; searches read more of it until the next start', {
        reason: (error as Error).message
      })
    }
  }
  if (deps.background !== false) merging = { next: setImmediate(mergeStep) }

  return {
    handlers: knowledgeHandlers(
      service,
      () => {
        const backup = deps.backup('before-fts-rebuild')
        return { ...rebuildFullTextIndex(deps.db), backup }
      },
      deps.onSearchWithoutResult
    ),
    service,
    worker,
    async stop() {
      stopped = true
      if (pending) clearTimeout(pending)
      if (backfill) clearImmediate(backfill)
      if (mapping) clearImmediate(mapping)
      if (warming && 'next' in warming) clearImmediate(warming.next)
      if (warming && 'later' in warming) clearTimeout(warming.later)
      if (merging && 'next' in merging) clearImmediate(merging.next)
      if (merging && 'later' in merging) clearTimeout(merging.later)
      await Promise.all([worker?.stop(), lexical.close()])
    }
  }
}
