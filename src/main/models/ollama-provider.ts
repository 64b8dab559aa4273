import { Ollama, type ChatResponse } from 'ollama'
import type { ChatRequest, LoadedModel, ModelInfo, ModelProvider, PullProgress } from './provider'
import { ProviderError, classifyBackendMessage, midStreamError, toProviderError } from './provider-error'

/**
 * One Ollama node through the official client. The client takes no
 * AbortSignal, so each call gets a client whose fetch carries the caller's
 * signal: aborting it cuts the HTTP request, streamed or not. The client's
 * own signal (on streams) aborts only through its abort(), which nothing
 * calls on a client made for one call, so the caller's replaces it rather
 * than joining it through AbortSignal.any (~50 µs a request on Node 20).
 */
export function createOllamaProvider(baseUrl: string): ModelProvider {
  const where = `Ollama at ${baseUrl}`
  const clientFor = (signal: AbortSignal): Ollama =>
    new Ollama({ host: baseUrl, fetch: (input, init) => fetch(input, { ...init, signal }) })

  async function guarded<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      throw fromOllama(error, signal, where)
    }
  }

  return {
    kind: 'ollama',
    listModels: (signal) =>
      guarded(signal, async () =>
        (await clientFor(signal).list()).models.map((m): ModelInfo => ({ name: m.name, sizeBytes: m.size }))
      ),
    loadedModels: (signal) =>
      guarded(signal, async () =>
        (await clientFor(signal).ps()).models.map((m): LoadedModel => ({
          name: m.name,
          sizeBytes: m.size,
          expiresAt: toIso(m.expires_at)
        }))
      ),
    async *chat(request: ChatRequest) {
      const { signal } = request
      let done = false
      let stream: AsyncIterable<ChatResponse>
      try {
        stream = await clientFor(signal).chat({
          model: request.model,
          messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
          stream: true,
          ...(request.keepAlive ? { keep_alive: request.keepAlive } : {}),
          ...(request.maxTokens ? { options: { num_predict: request.maxTokens } } : {}),
          ...(request.jsonSchema ? { format: request.jsonSchema.schema } : {})
        })
      } catch (error) {
        throw fromOllama(error, signal, where)
      }
      try {
        for await (const part of stream) {
          if (part.message.content) yield part.message.content
          if (part.done) {
            done = true
            // A prompt Ollama found in its cache may come back without prompt_eval_count: it evaluated none of it.
            if (typeof part.eval_count === 'number')
              request.onUsage?.({ tokensIn: part.prompt_eval_count ?? 0, tokensOut: part.eval_count })
          }
        }
      } catch (error) {
        throw fromOllamaStream(error, signal, where)
      }
      if (!done)
        throw new ProviderError('stream_interrupted', `${where}: the answer stopped before Ollama said it was done`)
    },
    embed: (model, texts, signal) =>
      guarded(signal, async () => (await clientFor(signal).embed({ model, input: [...texts] })).embeddings),
    preload: (model, keepAlive, signal) =>
      guarded(signal, async () => {
        await clientFor(signal).chat({ model, messages: [], keep_alive: keepAlive, stream: false })
      }),
    pull: (model, signal, onProgress: (progress: PullProgress) => void) =>
      guarded(signal, async () => {
        const stream = await clientFor(signal).pull({ model, stream: true })
        for await (const p of stream)
          onProgress({ status: p.status, completed: p.completed ?? null, total: p.total ?? null })
      })
  }
}

function fromOllama(error: unknown, signal: AbortSignal, where: string): ProviderError {
  if (error instanceof ProviderError) return error
  if (!signal.aborted && error instanceof Error && error.name === 'ResponseError') {
    const status = (error as Error & { status_code?: number }).status_code ?? null
    return new ProviderError(
      classifyBackendMessage(error.message, status),
      `${where}: ${error.message}`,
      status,
      error.message
    )
  }
  if (!signal.aborted && error instanceof Error && /Did not receive done/.test(error.message)) {
    return new ProviderError('stream_interrupted', `${where}: the answer stopped before Ollama said it was done`)
  }
  return toProviderError(error, signal, where)
}

/** After the answer began: an `{"error"}` line is the server failing mid-answer; a cut socket is the stream interrupted. */
function fromOllamaStream(error: unknown, signal: AbortSignal, where: string): ProviderError {
  if (error instanceof ProviderError || signal.aborted) return fromOllama(error, signal, where)
  const e = fromOllama(error, signal, where)
  if (e.kind === 'http') {
    const text = error instanceof Error ? error.message : String(error)
    return new ProviderError(classifyBackendMessage(text, null), e.message, null, text)
  }
  return e.kind === 'connection' ? midStreamError(error, signal, where) : e
}

function toIso(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (typeof value === 'string') return value
  return null
}
