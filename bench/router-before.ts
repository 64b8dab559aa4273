// The router's Ollama transport as it was before streamed answers moved to node:http (ollama-chat.ts):
// the official client made per request, its fetch carrying the caller's signal, read through its
// two async generators and one of the provider's. bench:router runs a router over it beside the
// app's, in the same rounds, for a before/after measured in one run. Its happy path only: errors
// are mapped the plain way, as the bench sends none.
import { Ollama } from 'ollama'
import type { ModelProvider } from '../src/main/models/provider'
import { ProviderError, toProviderError } from '../src/main/models/provider-error'

export function withOfficialClientChat(provider: ModelProvider, baseUrl: string): ModelProvider {
  const where = `Ollama at ${baseUrl}`
  return {
    ...provider,
    async *chat(request) {
      const { signal } = request
      let done = false
      try {
        const client = new Ollama({ host: baseUrl, fetch: (input, init) => fetch(input, { ...init, signal }) })
        const stream = await client.chat({
          model: request.model,
          messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
          stream: true,
          ...(request.keepAlive ? { keep_alive: request.keepAlive } : {})
        })
        for await (const part of stream) {
          if (part.message.content) yield part.message.content
          if (part.done) {
            done = true
            if (typeof part.eval_count === 'number')
              request.onUsage?.({ tokensIn: part.prompt_eval_count ?? 0, tokensOut: part.eval_count })
          }
        }
      } catch (error) {
        throw toProviderError(error, signal, where)
      }
      if (!done)
        throw new ProviderError('stream_interrupted', `${where}: the answer stopped before Ollama said it was done`)
    }
  }
}
