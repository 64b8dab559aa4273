import { LineTooLongError, type LineStreams } from './http-lines'
import { ProviderError, classifyBackendMessage, midStreamError, toProviderError } from './provider-error'
import type { ChatRequest, TokenUsage } from './provider'
import { tokenQueue } from './token-queue'

/**
 * An OpenAI-compatible server's streamed chat completion, spoken over `streams` (the node's own
 * kept-alive connections, as for Ollama: why in http-lines.ts): server-sent events read line by
 * line, each event's `data:` handed to the reader as its tokens. The request is written as this is called.
 */
export function openAiChat(
  streams: LineStreams,
  where: string,
  req: ChatRequest,
  headers: Readonly<Record<string, string>>
): AsyncIterable<string> {
  const body = JSON.stringify({
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
  let cut: () => void = () => undefined
  const tokens = tokenQueue(() => cut())
  let finished = false
  // The `data:` lines of the event being read; an event ends at a blank line.
  let data: string[] = []

  /** One event's data; false once the answer is over. */
  const event = (payload: string): boolean => {
    if (payload === '[DONE]') {
      tokens.end()
      return false
    }
    const chunk = parseChunk(payload, where)
    if (chunk.error !== null) {
      const words = chunk.error
      tokens.fail(new ProviderError(classifyBackendMessage(words, null), `${where}: ${words}`, null, words))
      return false
    }
    if (chunk.usage) req.onUsage?.(chunk.usage)
    if (chunk.content) tokens.push(chunk.content)
    if (chunk.finished) finished = true
    return true
  }
  const endOfEvent = (): boolean => {
    if (data.length === 0) return true
    const payload = data.join('\n')
    data = []
    return event(payload)
  }

  cut = streams.post(
    '/v1/chat/completions',
    body,
    req.signal,
    {
      refused(status, _statusText, text) {
        const message = errorMessageOf(status, text)
        tokens.fail(new ProviderError(classifyBackendMessage(message, status), `${where}: ${message}`, status, message))
      },
      line(text) {
        if (text === '') return endOfEvent()
        if (text.startsWith('data:')) data.push(text.slice(text.charCodeAt(5) === 32 ? 6 : 5))
        return true
      },
      ended() {
        if (!endOfEvent()) return
        if (finished) tokens.end()
        else
          tokens.fail(
            new ProviderError('stream_interrupted', `${where}: the answer stopped before the server said it was done`)
          )
      },
      failed(error, answering) {
        if (error instanceof LineTooLongError)
          return tokens.fail(new ProviderError('bad_response', `${where}: ${error.message}`))
        tokens.fail(answering ? midStreamError(error, req.signal, where) : toProviderError(error, req.signal, where))
      }
    },
    headers
  )
  return { [Symbol.asyncIterator]: () => tokens }
}

/** What an error body says: OpenAI's `{"error": {"message"}}` and its variants, else the status and text. */
export function errorMessageOf(status: number, text: string): string {
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
  return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`
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
  if (parsed === null || typeof parsed !== 'object')
    throw new ProviderError('bad_response', `${where}: a stream event is not an object (${data.slice(0, 80)})`)
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
