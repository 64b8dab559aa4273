import { lineStreams, type LineStreams } from './http-lines'
import { errorMessageOf, openAiChat } from './openai-chat'
import type { ChatRequest, ModelInfo, ModelProvider } from './provider'
import { ProviderError, classifyBackendMessage, toProviderError } from './provider-error'

/**
 * An OpenAI-compatible server (mlx_lm.server, LM Studio, llama.cpp's server,
 * vLLM). `apiKey` is read per request, so a key stored in the keychain takes
 * effect without restarting anything.
 */
export function createOpenAiProvider(baseUrl: string, apiKey: () => string | null = () => null): ModelProvider {
  const root = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
  const where = `OpenAI-compatible server at ${baseUrl}`
  let streams: LineStreams | null = null

  async function request(path: string, signal: AbortSignal, body?: unknown): Promise<Response> {
    let response: Response
    try {
      response = await fetch(`${root}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...authorization(apiKey()) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal
      })
    } catch (error) {
      throw toProviderError(error, signal, where)
    }
    if (!response.ok) {
      const message = errorMessageOf(response.status, await response.text().catch(() => ''))
      throw new ProviderError(
        classifyBackendMessage(message, response.status),
        `${where}: ${message}`,
        response.status,
        message
      )
    }
    return response
  }

  async function json(path: string, signal: AbortSignal, body?: unknown): Promise<unknown> {
    const response = await request(path, signal, body)
    try {
      return await response.json()
    } catch (error) {
      throw signal.aborted
        ? toProviderError(error, signal, where)
        : new ProviderError('bad_response', `${where}: ${path} did not return JSON`)
    }
  }

  return {
    kind: 'openai',
    async listModels(signal) {
      const body = (await json('/v1/models', signal)) as { data?: { id?: unknown }[] }
      if (!Array.isArray(body.data)) throw new ProviderError('bad_response', `${where}: /v1/models has no data list`)
      return body.data
        .filter((m) => typeof m.id === 'string')
        .map((m): ModelInfo => ({ name: String(m.id), sizeBytes: null }))
    },
    loadedModels: () => Promise.resolve(null),
    // Streamed answers go over the node's own kept-alive connections, not fetch (why: http-lines.ts).
    chat: (req: ChatRequest) => openAiChat((streams ??= lineStreams(root)), where, req, authorization(apiKey())),
    async embed(model, texts, signal) {
      const body = (await json('/v1/embeddings', signal, { model, input: texts })) as {
        data?: { index?: number; embedding?: unknown }[]
      }
      if (!Array.isArray(body.data))
        throw new ProviderError('bad_response', `${where}: /v1/embeddings has no data list`)
      const sorted = [...body.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
      return sorted.map((d) => {
        if (!Array.isArray(d.embedding))
          throw new ProviderError('bad_response', `${where}: an embedding is not a list of numbers`)
        return d.embedding.map(Number)
      })
    }
  }
}

function authorization(key: string | null): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {}
}
