import type { ChatRequest, ModelInfo, ModelProvider, TokenUsage } from './provider'
import { ProviderError, classifyBackendMessage, midStreamError, toProviderError } from './provider-error'
import { sseData } from './sse'

/**
 * An OpenAI-compatible server (mlx_lm.server, LM Studio, llama.cpp's server,
 * vLLM). `apiKey` is read per request, so a key stored in the keychain takes
 * effect without restarting anything.
 */
export function createOpenAiProvider(baseUrl: string, apiKey: () => string | null = () => null): ModelProvider {
  const root = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
  const where = `OpenAI-compatible server at ${baseUrl}`

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
      const message = await errorMessage(response)
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
    async *chat(req: ChatRequest) {
      const response = await request('/v1/chat/completions', req.signal, {
        model: req.model,
        messages: req.messages,
        stream: true,
        // OpenAI, vLLM, llama.cpp's server and mlx_lm.server then end the stream with a chunk carrying `usage`.
        stream_options: { include_usage: true },
        ...(req.maxTokens ? { max_tokens: req.maxTokens } : {}),
        ...(req.jsonSchema
          ? {
              response_format: {
                type: 'json_schema',
                json_schema: { name: req.jsonSchema.name, schema: req.jsonSchema.schema, strict: true }
              }
            }
          : {})
      })
      if (!response.body) throw new ProviderError('bad_response', `${where}: the answer has no body`)
      let finished = false
      try {
        for await (const data of sseData(response.body)) {
          if (data === '[DONE]') {
            finished = true
            break
          }
          const chunk = parseChunk(data, where)
          if (chunk.error)
            throw new ProviderError(
              classifyBackendMessage(chunk.error, null),
              `${where}: ${chunk.error}`,
              null,
              chunk.error
            )
          if (chunk.usage) req.onUsage?.(chunk.usage)
          if (chunk.content) yield chunk.content
          if (chunk.finished) finished = true
        }
      } catch (error) {
        throw midStreamError(error, req.signal, where)
      }
      if (!finished)
        throw new ProviderError('stream_interrupted', `${where}: the answer stopped before the server said it was done`)
    },
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

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown }
    if (typeof body.error === 'string') return body.error
    if (
      body.error &&
      typeof body.error === 'object' &&
      typeof (body.error as { message?: unknown }).message === 'string'
    ) {
      return (body.error as { message: string }).message
    }
    if (typeof body.message === 'string') return body.message
    if (typeof body.detail === 'string') return body.detail
  } catch {
    // Not JSON: the status line and raw text are all there is.
  }
  return `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`
}

interface Chunk {
  readonly content: string
  readonly finished: boolean
  readonly error: string | null
  readonly usage: TokenUsage | null
}

function parseChunk(data: string, where: string): Chunk {
  let parsed: {
    choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[]
    error?: unknown
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null
  }
  try {
    parsed = JSON.parse(data) as typeof parsed
  } catch {
    throw new ProviderError('bad_response', `${where}: a stream event is not JSON (${data.slice(0, 80)})`)
  }
  if (parsed.error) {
    const e = parsed.error
    return {
      content: '',
      finished: false,
      error: typeof e === 'string' ? e : String((e as { message?: unknown }).message ?? 'unknown error'),
      usage: null
    }
  }
  const choice = parsed.choices?.[0]
  const content = typeof choice?.delta?.content === 'string' ? choice.delta.content : ''
  return { content, finished: typeof choice?.finish_reason === 'string', error: null, usage: usageOf(parsed.usage) }
}

/** The `usage` object of a chunk (the last one, whose `choices` is empty); null where a server sends none. */
function usageOf(
  usage: { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined
): TokenUsage | null {
  if (!usage) return null
  const { prompt_tokens: tokensIn, completion_tokens: tokensOut } = usage
  if (typeof tokensIn !== 'number' || typeof tokensOut !== 'number') return null
  return { tokensIn, tokensOut }
}

function authorization(key: string | null): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {}
}
