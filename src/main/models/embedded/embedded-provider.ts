import { mkdirSync, readdirSync, statSync } from 'node:fs'
import { freemem } from 'node:os'
import { basename, join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import type { PromptMessage, ChatRequest, LoadedModel, ModelInfo, ModelProvider } from '../provider'
import { ProviderError } from '../provider-error'
import type { FromWorker, ToWorker } from './worker-protocol'

export interface EmbeddedOptions {
  /** The data dir's models folder: every *.gguf in it is a model. */
  readonly modelsDir: string
  /** Starts the worker thread that runs llama.cpp. */
  readonly startWorker: () => Worker
  readonly contextSize?: number
  readonly maxTokens?: number
  /** CPU threads for llama.cpp; 0 or absent lets it choose. */
  readonly threads?: number
  /** Free memory in bytes; the OS's by default. */
  readonly freeMemory?: () => number
}

/** What a model needs in memory: its weights, plus room for the context and runtime. */
export function memoryNeeded(fileBytes: number, contextSize: number): number {
  return Math.ceil(fileBytes * 1.2 + contextSize * 256 * 1024 + 64 * 1024 * 1024)
}

/** Turns chat messages into one prompt for a model without a chat template. */
export function promptOf(messages: readonly PromptMessage[]): string {
  const lines = messages.map(
    (m) => `${m.role === 'user' ? 'User' : m.role === 'assistant' ? 'Assistant' : 'System'}: ${m.content}`
  )
  return `${lines.join('\n')}\nAssistant:`
}

/**
 * GGUF models in the data dir, run by node-llama-cpp in a worker thread.
 * One model is loaded at a time; a request for another unloads the first.
 * Memory is checked before each load and a model that will not fit is
 * refused with what it needs and what is free.
 */
export function createEmbeddedProvider(options: EmbeddedOptions): ModelProvider & { close(): Promise<void> } {
  const contextSize = options.contextSize ?? 2048
  const free = options.freeMemory ?? freemem
  let worker: Worker | null = null
  let nextId = 1
  let loadedName: string | null = null
  let loading: Promise<void> | null = null
  // Requests running on the loaded model: another model waits until they end, since loading it frees this one under them.
  let using = 0
  let idleWaiters: (() => void)[] = []
  const handlers = new Map<number, (message: FromWorker) => void>()

  function ensureWorker(): Worker {
    if (worker) return worker
    const started = options.startWorker()
    started.on('message', (message: FromWorker) => handlers.get(message.id)?.(message))
    started.on('error', (error) => failAll(`the embedded engine crashed (${error.message})`))
    started.on('exit', (code) => {
      if (worker === started) {
        worker = null
        loadedName = null
        failAll(`the embedded engine stopped (exit code ${code})`)
      }
    })
    worker = started
    return started
  }

  function failAll(message: string): void {
    for (const [id, handler] of handlers) handler({ type: 'error', id, message })
  }

  function request(message: ToWorker, onMessage: (m: FromWorker) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      handlers.set(message.id, (m) => {
        if (m.type === 'error') {
          handlers.delete(message.id)
          reject(
            new ProviderError(
              /memory|allocate/i.test(m.message) ? 'oom' : 'runner_terminated',
              `Embedded engine: ${m.message}`
            )
          )
        } else if (onMessage(m)) {
          handlers.delete(message.id)
          resolve()
        }
      })
      ensureWorker().postMessage(message)
    })
  }

  function models(): ModelInfo[] {
    let names: string[]
    try {
      mkdirSync(options.modelsDir, { recursive: true })
      names = readdirSync(options.modelsDir).filter((f) => f.toLowerCase().endsWith('.gguf'))
    } catch (error) {
      throw new ProviderError(
        'connection',
        `The embedded models folder ${options.modelsDir} cannot be read (${error instanceof Error ? error.message : String(error)}). Check its permissions.`
      )
    }
    return names
      .sort()
      .map((name) => ({ name: basename(name, '.gguf'), sizeBytes: statSync(join(options.modelsDir, name)).size }))
  }

  function release(): void {
    using--
    if (using > 0) return
    const waiting = idleWaiters
    idleWaiters = []
    for (const wake of waiting) wake()
  }

  /** The model loaded and held for one request: free it with the returned release when the request ends. */
  async function acquire(model: string): Promise<() => void> {
    for (;;) {
      if (loading) await loading.catch(() => undefined)
      else if (loadedName === model) {
        using++
        return release
      } else if (using > 0) await new Promise<void>((wake) => idleWaiters.push(wake))
      else {
        await load(model)
        return release
      }
    }
  }

  /**
   * Loads a model in place of the current one, which nothing uses any more (acquire saw to that);
   * the request that asked holds it from the moment it is loaded, before another can swap it out.
   */
  async function load(model: string): Promise<void> {
    const info = models().find((m) => m.name === model)
    if (!info)
      throw new ProviderError(
        'not_found',
        `The model '${model}' is not in ${options.modelsDir}. Put ${model}.gguf there.`
      )
    const needed = memoryNeeded(info.sizeBytes ?? 0, contextSize)
    const available = free()
    if (needed > available) {
      const mb = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`
      throw new ProviderError(
        'oom',
        `The model '${model}' needs about ${mb(needed)} of memory but only ${mb(available)} is free, so it was not loaded. Close other apps, unload other models, or pick a smaller model.`
      )
    }
    loading = request(
      {
        type: 'load',
        id: nextId++,
        modelPath: join(options.modelsDir, `${model}.gguf`),
        contextSize,
        threads: options.threads ?? 0
      },
      (m) => m.type === 'done'
    ).then(() => {
      loadedName = model
      using++
    })
    try {
      await loading
    } finally {
      loading = null
    }
  }

  /** One completion on the model the caller holds, streamed as the worker sends it. */
  async function* complete(req: ChatRequest): AsyncGenerator<string> {
    const id = nextId++
    const queue: string[] = []
    let wake: (() => void) | null = null
    let finished = false
    let failure: unknown = null
    const onAbort = (): void => worker?.postMessage({ type: 'abort', id } satisfies ToWorker)
    req.signal.addEventListener('abort', onAbort, { once: true })
    const done = request(
      {
        type: 'complete',
        id,
        prompt: promptOf(req.messages),
        maxTokens: options.maxTokens ?? 512,
        ...(req.jsonSchema ? { jsonSchema: req.jsonSchema.schema } : {})
      },
      (m) => {
        if (m.type === 'token') queue.push(m.text)
        if (m.type === 'completed') req.onUsage?.({ tokensIn: m.tokensIn, tokensOut: m.tokensOut })
        wake?.()
        return m.type === 'completed'
      }
    ).then(
      () => void (finished = true),
      (e: unknown) => void ((failure = e), (finished = true))
    )
    void done.finally(() => wake?.())
    try {
      for (;;) {
        while (queue.length) yield queue.shift() as string
        if (finished) break
        await new Promise<void>((r) => (wake = r))
        wake = null
      }
      if (failure) throw failure
      if (req.signal.aborted) throw new ProviderError('aborted', 'Embedded engine: the request was cancelled')
    } finally {
      req.signal.removeEventListener('abort', onAbort)
    }
  }

  return {
    kind: 'embedded',
    listModels: () => Promise.resolve().then(models),
    loadedModels: () =>
      Promise.resolve<LoadedModel[]>(
        loadedName
          ? [
              {
                name: loadedName,
                sizeBytes: models().find((m) => m.name === loadedName)?.sizeBytes ?? null,
                expiresAt: null
              }
            ]
          : []
      ),
    async *chat(req: ChatRequest) {
      const done = await acquire(req.model)
      try {
        yield* complete(req)
      } finally {
        done()
      }
    },
    async embed(model, texts) {
      const done = await acquire(model)
      try {
        let vectors: number[][] = []
        await request({ type: 'embed', id: nextId++, texts }, (m) => {
          if (m.type === 'vectors') vectors = m.vectors
          return m.type === 'vectors'
        })
        return vectors
      } finally {
        done()
      }
    },
    preload: async (model) => (await acquire(model))(),
    async close() {
      const current = worker
      if (!current) return
      // Terminating a thread inside llama.cpp aborts the whole process, so
      // running generations are stopped and the model freed first.
      for (const id of handlers.keys()) current.postMessage({ type: 'abort', id } satisfies ToWorker)
      const unloaded = request({ type: 'unload', id: nextId++ }, (m) => m.type === 'done').catch(() => undefined)
      await Promise.race([unloaded, new Promise((r) => setTimeout(r, 5000).unref())])
      worker = null
      loadedName = null
      await current.terminate()
    }
  }
}
