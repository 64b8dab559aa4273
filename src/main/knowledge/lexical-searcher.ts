import type { Worker } from 'node:worker_threads'
import { openedWith, type Db } from '../db/database'
import type { Logger } from '../log/logger'
import type { FtsQuery } from './fts-query'
import type { KnowledgeStore, LexicalHit, NodeFilter } from './knowledge-store'
import { searchLexical } from './lexical-plan'

/**
 * The lexical half of a search, run on a worker thread with a read-only
 * connection of its own (lexical-worker.ts) so that it overlaps the vector
 * half: the vector half is CPU on this thread (~3.5 ms at a million chunks)
 * while FTS5 mostly waits on the disk, and the worker's own page cache keeps
 * FTS5's pages (at a million, hybrid p50 / p95 8.6 / 12.0 ms against 12.1 /
 * 17.8 with the lexical half in this thread; README.md). Identical hits either way (the worker
 * runs the same searchLexical on the same database); in this thread when
 * there is no worker (an in-memory database, a build without its file), when
 * it is not ready yet (a start's first search does not wait for it), inside
 * a transaction (the worker cannot see what is not committed), and for good
 * once the worker failed or exited, requests in flight included.
 */
export interface LexicalSearcher {
  /** On the worker when `onWorker` (and the worker can take it), in this thread otherwise. */
  search(fts: Pick<FtsQuery, 'terms'>, limit: number, filter: NodeFilter, onWorker?: boolean): Promise<LexicalHit[]>
  /** Whether searches go to the worker now. */
  readonly onWorker: boolean
  /** Settles when the worker is ready (true) or will not be (false: none, or it failed first). */
  readonly ready: Promise<boolean>
  /** Stops the worker; later searches run in this thread. */
  close(): Promise<void>
}

export interface LexicalRequest {
  readonly id: number
  readonly terms: readonly string[]
  readonly limit: number
  readonly filter: NodeFilter
}

export type LexicalReply =
  | { readonly id: number; readonly ok: true; readonly hits: LexicalHit[] }
  | { readonly id: number; readonly ok: false; readonly message: string }

export interface LexicalWorkerData {
  readonly file: string
  readonly options: { readonly nativeBinding?: string }
  /** The worker connection's page cache (SQLite's own, not the kernel's). */
  readonly cacheKib: number
  /** Read FTS5's doc sizes into that cache before saying it is ready. */
  readonly warmDocSizes: boolean
}

/**
 * From how many chunks a search sends its lexical half to the worker (with a vector side to overlap): below,
 * the sign scan is too short to hide it and the hand-off costs more than it saves (README.md, session 8).
 */
export const LEXICAL_WORKER_FROM = 100_000

/** SQLite's page cache of the worker's connection: FTS5's structure and doc sizes at a million chunks fit (README.md). */
export const LEXICAL_CACHE_KIB = 64 * 1024

export interface LexicalSearcherDeps {
  readonly db: Db
  readonly store: KnowledgeStore
  readonly log: Logger
  /** Starts lexical-worker.ts; null (or an in-memory database) keeps the lexical half in this thread. */
  readonly startWorker: ((data: LexicalWorkerData) => Worker) | null
  /** The worker connection's page cache; the benchmark compares sizes. */
  readonly cacheKib?: number
  readonly warmDocSizes?: boolean
}

export function createLexicalSearcher(deps: LexicalSearcherDeps): LexicalSearcher {
  const { db, store, log } = deps
  const here = (fts: Pick<FtsQuery, 'terms'>, limit: number, filter: NodeFilter): Promise<LexicalHit[]> => {
    try {
      return Promise.resolve(searchLexical(store, fts, limit, filter))
    } catch (error) {
      return Promise.reject(error as Error)
    }
  }
  const pending = new Map<
    number,
    { request: LexicalRequest; resolve: (hits: LexicalHit[]) => void; reject: (error: Error) => void }
  >()
  let worker: Worker | null = null
  let ready = false
  let nextId = 1
  let exited: Promise<void> = Promise.resolve()
  let settleReady: (ready: boolean) => void = () => undefined
  const readiness = new Promise<boolean>((resolve) => (settleReady = resolve))

  // Whatever failed, searches go on in this thread, those in flight first.
  const giveUp = (error: unknown): void => {
    if (!worker) return
    log.warn('The lexical half of searches runs on the main thread again: its worker failed', { error })
    void worker.terminate()
    worker = null
    ready = false
    settleReady(false)
    const waiting = [...pending.values()]
    pending.clear()
    for (const { request, resolve, reject } of waiting)
      here(request, request.limit, request.filter).then(resolve, reject)
  }

  if (deps.startWorker && !db.memory) {
    const nativeBinding = openedWith(db).nativeBinding
    try {
      const started = deps.startWorker({
        file: db.name,
        options: nativeBinding ? { nativeBinding } : {},
        cacheKib: deps.cacheKib ?? LEXICAL_CACHE_KIB,
        warmDocSizes: deps.warmDocSizes ?? true
      })
      worker = started
      exited = new Promise((resolve) => started.once('exit', () => resolve()))
      started.on('error', giveUp)
      started.on('exit', (code) => {
        if (worker === started) giveUp(new Error(`the lexical search worker exited with code ${code}`))
      })
      started.on('message', (message: LexicalReply | 'ready') => {
        if (message === 'ready') {
          ready = true
          settleReady(true)
          return
        }
        const waiting = pending.get(message.id)
        if (!waiting) return
        pending.delete(message.id)
        if (message.ok) waiting.resolve(message.hits)
        else {
          // An error of the worker's connection (a locked or damaged file) is met again here, where it is reported as always.
          log.warn('A lexical search failed on its worker; run again on the main thread', { reason: message.message })
          here(waiting.request, waiting.request.limit, waiting.request.filter).then(waiting.resolve, waiting.reject)
        }
      })
    } catch (error) {
      log.warn('The lexical half of searches runs on the main thread: its worker could not start', { error })
      worker = null
    }
  }
  if (!worker) settleReady(false)

  return {
    get onWorker() {
      return worker !== null && ready
    },
    ready: readiness,
    search(fts, limit, filter, onWorker) {
      if (!onWorker || !worker || !ready || db.inTransaction) return here(fts, limit, filter)
      const request: LexicalRequest = { id: nextId++, terms: [...fts.terms], limit, filter: { ...filter } }
      const running = worker
      return new Promise((resolve, reject) => {
        pending.set(request.id, { request, resolve, reject })
        running.postMessage(request)
      })
    },
    async close() {
      const closing = worker
      worker = null
      ready = false
      settleReady(false)
      if (!closing) return exited
      closing.postMessage('close')
      await exited
      // Requests the worker had not answered before it closed are answered here.
      const waiting = [...pending.values()]
      pending.clear()
      for (const { request, resolve, reject } of waiting)
        here(request, request.limit, request.filter).then(resolve, reject)
    }
  }
}
