import { LineTooLongError, type LineStreams } from './http-lines'
import type { ChatRequest } from './provider'
import { ProviderError, classifyBackendMessage, midStreamError, toProviderError } from './provider-error'
import { tokenQueue } from './token-queue'

/** One line of Ollama's streamed /api/chat answer, as far as the router reads it. */
interface ChatLine {
  readonly message?: { readonly content?: unknown }
  readonly done?: unknown
  readonly error?: unknown
  readonly eval_count?: unknown
  readonly prompt_eval_count?: unknown
}

/**
 * Ollama's streamed chat, spoken over `streams` (its own kept-alive connections) instead of the
 * official client's fetch: the same request body and the same errors as the client gave, with the
 * answer's tokens handed to the reader straight from the socket's data events. The request is
 * written as this is called, not at the first read.
 */
export function ollamaChat(streams: LineStreams, where: string, request: ChatRequest): AsyncIterable<string> {
  const { signal } = request
  const body = JSON.stringify({
    model: request.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    stream: true,
    ...(request.keepAlive ? { keep_alive: request.keepAlive } : {}),
    ...(request.maxTokens ? { options: { num_predict: request.maxTokens } } : {}),
    ...(request.jsonSchema ? { format: request.jsonSchema.schema } : {})
  })
  let cut: () => void = () => undefined
  const tokens = tokenQueue(() => cut())
  cut = streams.post('/api/chat', body, signal, {
    refused(status, statusText, text, contentType) {
      const message = refusalMessage(status, statusText, text, contentType)
      tokens.fail(new ProviderError(classifyBackendMessage(message, status), `${where}: ${message}`, status, message))
    },
    line(text) {
      if (text.trim() === '') return true
      let part: ChatLine
      try {
        part = JSON.parse(text) as ChatLine
      } catch {
        throw new ProviderError('bad_response', `${where}: a line of the answer is not JSON: ${text.slice(0, 80)}`)
      }
      if (part === null || typeof part !== 'object')
        throw new ProviderError('bad_response', `${where}: a line of the answer is not an object: ${text.slice(0, 80)}`)
      if (typeof part.error === 'string') {
        // The server failed mid-answer (its runner died, it ran out of memory): in its own words.
        const words = part.error
        tokens.fail(new ProviderError(classifyBackendMessage(words, null), `${where}: ${words}`, null, words))
        return false
      }
      const content = part.message?.content
      if (typeof content === 'string' && content !== '') tokens.push(content)
      if (part.done !== true) return true
      // A prompt Ollama found in its cache may come back without prompt_eval_count: it evaluated none of it.
      if (typeof part.eval_count === 'number')
        request.onUsage?.({
          tokensIn: typeof part.prompt_eval_count === 'number' ? part.prompt_eval_count : 0,
          tokensOut: part.eval_count
        })
      tokens.end()
      return false
    },
    ended() {
      tokens.fail(
        new ProviderError('stream_interrupted', `${where}: the answer stopped before Ollama said it was done`)
      )
    },
    failed(error, answering) {
      if (error instanceof ProviderError) return tokens.fail(error)
      if (error instanceof LineTooLongError)
        return tokens.fail(new ProviderError('bad_response', `${where}: ${error.message}`))
      // Once the answer began, a cut socket is the stream interrupted, not the node unreachable.
      tokens.fail(
        answering && !signal.aborted ? midStreamError(error, signal, where) : toProviderError(error, signal, where)
      )
    }
  })
  return { [Symbol.asyncIterator]: () => tokens }
}

/** What a refused request says: Ollama's `{"error": "…"}`, else the body's text, else the status. */
function refusalMessage(status: number, statusText: string, text: string, contentType: string): string {
  if (contentType.includes('application/json')) {
    try {
      const body = JSON.parse(text) as { error?: unknown }
      if (typeof body.error === 'string' && body.error !== '') return body.error
    } catch {
      // Not JSON after all: its text is the message.
    }
  }
  return text.trim() || `Error ${status}: ${statusText}`
}
