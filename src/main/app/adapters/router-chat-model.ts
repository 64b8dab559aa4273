import type { Candidate } from '../../models/candidates'
import type { TokenUsage } from '../../models/provider'
import type { Router, SpentInFailure } from '../../models/router'
import type { ChatCompletionInfo, ChatModel, ChatModelRequest, ChatStream } from '../../ports/chat-model'

/** A rough token count (about four characters a token; it undercounts Russian) where a backend reports none. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

/**
 * The chat pipeline's ChatModel on top of the model router: the router picks
 * the node and falls back; this adapter reports where the answer came from,
 * whether it fell back, and what it cost in tokens and time.
 */
export function routerChatModel(
  router: Pick<Router, 'candidates' | 'chat'>,
  now: () => number = () => performance.now(),
  /** Told of a request that got no answer (or broke off), for the trail's log line. */
  onFailure: (request: ChatModelRequest, error: unknown, durationMs: number) => void = () => undefined
): ChatModel {
  return {
    stream(request: ChatModelRequest): ChatStream {
      const options = {
        ...(request.category ? { category: request.category } : {}),
        ...(request.model ? { model: request.model } : {})
      }
      const planned = router.candidates(options)[0]
      const started = now()
      const prompt = request.messages.map((m) => m.content).join('\n')
      const fellBack = (node: string, model: string): boolean =>
        planned !== undefined && (node !== planned.node || model !== planned.model)
      let answering: Candidate | null = null
      let ttftMs: number | null = null
      let usage: TokenUsage | null = null
      let text = ''
      let settle: { resolve: (info: ChatCompletionInfo) => void; reject: (error: unknown) => void } | null = null
      const done = new Promise<ChatCompletionInfo>((resolve, reject) => (settle = { resolve, reject }))
      // The pipeline awaits `done` only after the tokens end; a failure is seen through the tokens first.
      done.catch(() => undefined)

      async function* tokens(): AsyncGenerator<string> {
        try {
          for await (const token of router.chat(request.messages, {
            ...options,
            signal: request.signal,
            ...(request.jsonSchema ? { jsonSchema: request.jsonSchema } : {}),
            onAnswering: (c) => (answering = c),
            onUsage: (u) => (usage = u),
            ...(request.onSpentInFailure ? { onSpentInFailure: spentInFailure(request.onSpentInFailure) } : {})
          })) {
            ttftMs ??= now() - started
            text += token
            yield token
          }
          const node = answering as Candidate | null
          const counts = usage as TokenUsage | null
          settle?.resolve({
            node: node?.node ?? 'unknown',
            model: node?.model ?? 'unknown',
            // The backend's own counts (Ollama's, an OpenAI-compatible server's usage, llama.cpp's tokenizer), else the estimate.
            tokensIn: counts?.tokensIn ?? estimateTokens(prompt),
            tokensOut: counts?.tokensOut ?? estimateTokens(text),
            counted: counts ? 'backend' : 'estimate',
            ttftMs,
            durationMs: now() - started,
            fellBack: node !== null && fellBack(node.node, node.model)
          })
        } catch (error) {
          onFailure(request, error, now() - started)
          settle?.reject(error)
          throw error
        }
      }
      /** An attempt's spend as the usage ledger counts it: the backend's counts where it sent them, else estimated from what it streamed. */
      function spentInFailure(tell: (info: ChatCompletionInfo) => void) {
        return (spent: SpentInFailure): void =>
          tell({
            node: spent.node,
            model: spent.model,
            tokensIn: spent.usage?.tokensIn ?? estimateTokens(prompt),
            tokensOut: spent.usage?.tokensOut ?? estimateTokens(spent.text),
            counted: spent.usage ? 'backend' : 'estimate',
            ttftMs: null,
            durationMs: now() - started,
            fellBack: fellBack(spent.node, spent.model)
          })
      }
      return { tokens: tokens(), done }
    }
  }
}
