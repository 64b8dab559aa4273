import type { Logger } from '../log/logger'
import type { Embedder, EmbeddingModel } from '../ports/embedder'
import { KnowledgeError } from './knowledge-error'
import type { Collection, VectorIndex } from './vector-index'

/** What the background embedder is doing; the view shows it and the progress bar follows `embedding`. */
export type EmbeddingStatus =
  | { readonly state: 'off'; readonly reason: string }
  | { readonly state: 'waiting'; readonly reason: string }
  | { readonly state: 'model_changed'; readonly active: ModelRef; readonly current: ModelRef }
  | {
      readonly state: 'embedding'
      readonly model: ModelRef
      readonly done: number
      readonly total: number
      readonly rebuilding: boolean
    }
  | { readonly state: 'idle'; readonly model: ModelRef }
  | { readonly state: 'failed'; readonly model: ModelRef; readonly reason: string }

export interface ModelRef {
  readonly id: string
  readonly dimension: number
}

export interface EmbeddingWorker {
  status(): EmbeddingStatus
  /** New chunks are waiting, or a model may have become reachable: look again soon. */
  kick(): void
  /** Re-embeds every chunk with the current model into a new collection, swapped in when complete. */
  startReembed(): Promise<void>
  /** Resolves when no pass is running; for tests and shutdown. */
  idle(): Promise<void>
  stop(): Promise<void>
}

export interface EmbeddingWorkerDeps {
  readonly index: VectorIndex
  readonly embedder: Embedder
  readonly batchSize: () => number
  readonly countChunks: () => number
  readonly onStatus: (status: EmbeddingStatus) => void
  readonly log: Logger
  /** How long to wait before trying again after the model was unreachable or failed. */
  readonly retryMs: number
}

/**
 * Gives every chunk a vector in the background, in batches, with progress.
 * Which collection it fills is read from the database each pass, so a
 * re-embed interrupted by a quit resumes where it stopped at the next start.
 */
export function createEmbeddingWorker(deps: EmbeddingWorkerDeps): EmbeddingWorker {
  let status: EmbeddingStatus = { state: 'waiting', reason: 'Looking for an embedding model…' }
  let running: Promise<void> | null = null
  let again = false
  let timer: NodeJS.Timeout | null = null
  let stopped = false
  const abort = new AbortController()

  const setStatus = (next: EmbeddingStatus): void => {
    status = next
    deps.onStatus(next)
  }

  const schedule = (): void => {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    running = pass()
      .catch((error: unknown) => deps.log.error('embedding pass failed', { error }))
      .finally(() => {
        running = null
        if (again) {
          again = false
          schedule()
        }
      })
  }

  const retryLater = (): void => {
    if (stopped || timer) return
    timer = setTimeout(() => {
      timer = null
      schedule()
    }, deps.retryMs)
    timer.unref()
  }

  const target = (model: EmbeddingModel): { collection: Collection; rebuilding: boolean } | null => {
    const building = deps.index.building()
    if (building) {
      if (sameModel(building, model)) return { collection: building, rebuilding: true }
      return { collection: deps.index.startBuilding(model), rebuilding: true }
    }
    const active = deps.index.active()
    if (!active) return { collection: deps.index.createActive(model), rebuilding: false }
    if (sameModel(active, model)) return { collection: active, rebuilding: false }
    setStatus({
      state: 'model_changed',
      active: { id: active.modelId, dimension: active.dimension },
      current: { id: model.id, dimension: model.dimension }
    })
    return null
  }

  async function pass(): Promise<void> {
    const state = await deps.embedder.state()
    if (!state.available) {
      setStatus({ state: 'waiting', reason: state.reason })
      retryLater()
      return
    }
    const chosen = target(state.model)
    if (!chosen) return
    const { collection, rebuilding } = chosen
    const model = { id: collection.modelId, dimension: collection.dimension }
    // Resuming from the last chunk embedded keeps each batch's lookup short in a large base;
    // one more pass from the start catches chunks added behind the cursor meanwhile.
    let after = 0
    for (;;) {
      if (stopped) return
      let batch = deps.index.missing(collection, Math.max(1, deps.batchSize()), after)
      if (batch.length === 0 && after > 0) {
        after = 0
        batch = deps.index.missing(collection, Math.max(1, deps.batchSize()), after)
      }
      if (batch.length === 0) break
      after = batch.at(-1)!.id
      setStatus({
        state: 'embedding',
        model,
        done: deps.index.embeddedCount(collection),
        total: deps.countChunks(),
        rebuilding
      })
      let vectors: Float32Array[]
      try {
        vectors = await deps.embedder.embed(
          batch.map((c) => c.text),
          abort.signal
        )
        if (vectors.length !== batch.length)
          throw new Error(`the model returned ${vectors.length} vectors for ${batch.length} texts`)
        deps.index.put(
          collection,
          batch.map((c, i) => ({ chunkId: c.id, vector: vectors[i]! }))
        )
      } catch (error) {
        if (stopped) return
        const reason =
          error instanceof KnowledgeError
            ? error.message
            : `Embedding with ${model.id} failed: ${(error as Error).message}`
        const mismatch = error instanceof KnowledgeError && error.code === 'dimension_mismatch'
        deps.log.warn(mismatch ? 'embedding dimension mismatch' : 'embedding batch failed', { model: model.id, reason })
        setStatus({ state: 'failed', model, reason })
        retryLater()
        return
      }
    }
    if (rebuilding) {
      deps.index.promote()
      deps.log.info('re-embed complete', { model: model.id, dimension: model.dimension })
    }
    setStatus({ state: 'idle', model })
  }

  return {
    // 'idle' is a claim that every chunk has its vector; chunks imported since the last pass make it
    // false until the next pass starts, so they are reported as waiting their turn instead.
    status() {
      const active = status.state === 'idle' ? deps.index.active() : null
      if (status.state !== 'idle' || !active) return status
      const done = deps.index.embeddedCount(active)
      const total = deps.countChunks()
      return done < total ? { state: 'embedding', model: status.model, done, total, rebuilding: false } : status
    },
    kick: schedule,
    async startReembed() {
      const state = await deps.embedder.state()
      if (!state.available)
        throw new KnowledgeError(
          'unavailable',
          `No embedding model is reachable (${state.reason}); start one, then re-embed.`
        )
      await running
      deps.index.startBuilding(state.model)
      schedule()
    },
    async idle() {
      while (running) await running
    },
    async stop() {
      stopped = true
      abort.abort()
      if (timer) clearTimeout(timer)
      await running
    }
  }
}

function sameModel(collection: Collection, model: EmbeddingModel): boolean {
  return collection.modelId === model.id && collection.dimension === model.dimension
}
