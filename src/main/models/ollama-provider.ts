import { Ollama } from 'ollama'
import { lineStreams, type LineStreams } from './http-lines'
import { ollamaChat } from './ollama-chat'
import type { ChatRequest, LoadedModel, ModelInfo, ModelProvider, PullProgress } from './provider'
import { ProviderError, classifyBackendMessage, toProviderError } from './provider-error'

/**
 * One Ollama node: streamed answers over its own connections (ollama-chat.ts), everything else
 * through the official client. The client takes no
 * AbortSignal, so each call gets a client whose fetch carries the caller's
 * signal: aborting it cuts the HTTP request, streamed or not. The client's
 * own signal (on streams) aborts only through its abort(), which nothing
 * calls on a client made for one call, so the caller's replaces it rather
 * than joining it through AbortSignal.any (~50 µs a request on Node 20).
 */
export function createOllamaProvider(baseUrl: string): ModelProvider {
  const where = `Ollama at ${baseUrl}`
  let streams: LineStreams | null = null
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
    // Streamed answers go over the node's own kept-alive connections, not the client's fetch (why: http-lines.ts).
    chat: (request: ChatRequest) => ollamaChat((streams ??= lineStreams(baseUrl)), where, request),
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

function toIso(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (typeof value === 'string') return value
  return null
}
