import type { ChatCompletionInfo, ChatModel, ChatModelRequest, ChatStream } from '../../ports/chat-model'

/** What a scripted model does for one request. */
export interface Script {
  readonly tokens: readonly string[]
  /** Throw this after the tokens (a provider dying mid-stream). */
  readonly failWith?: Error
  /** After the tokens, wait until the request is aborted (a hung node, or a user about to press Stop). */
  readonly hang?: boolean
  readonly info?: Partial<ChatCompletionInfo>
}

export interface ScriptedChatModel extends ChatModel {
  readonly requests: ChatModelRequest[]
  /** Resolves when a request has streamed all its tokens and is hanging. */
  hanging(): Promise<ChatModelRequest>
}

/**
 * A ChatModel for tests: each request gets the script the given function
 * picks for it, token by token on later turns of the event loop, honouring
 * the abort signal as a real provider does.
 */
export function scriptedChatModel(pick: (request: ChatModelRequest, index: number) => Script): ScriptedChatModel {
  const requests: ChatModelRequest[] = []
  const hangWaiters: ((request: ChatModelRequest) => void)[] = []
  return {
    requests,
    hanging: () => new Promise((resolve) => hangWaiters.push(resolve)),
    stream(request): ChatStream {
      const script = pick(request, requests.length)
      requests.push(request)
      let settle: { resolve: (info: ChatCompletionInfo) => void; reject: (error: unknown) => void } | undefined
      const done = new Promise<ChatCompletionInfo>((resolve, reject) => (settle = { resolve, reject }))
      const started = Date.now()
      async function* tokens(): AsyncGenerator<string> {
        try {
          for (const token of script.tokens) {
            await new Promise((resolve) => setImmediate(resolve))
            throwIfAborted(request.signal)
            yield token
          }
          if (script.hang) {
            for (const waiter of hangWaiters.splice(0)) waiter(request)
            await new Promise<void>((_resolve, reject) => {
              const onAbort = (): void => reject(abortError(request.signal))
              if (request.signal.aborted) onAbort()
              else request.signal.addEventListener('abort', onAbort, { once: true })
            })
          }
          if (script.failWith) throw script.failWith
          const text = script.tokens.join('')
          settle?.resolve({
            node: 'ollama-local',
            model: 'scripted:7b',
            tokensIn: request.messages.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0),
            tokensOut: Math.ceil(text.length / 4),
            counted: 'estimate',
            ttftMs: 1,
            durationMs: Date.now() - started,
            fellBack: false,
            ...script.info
          })
        } catch (error) {
          settle?.reject(error)
          throw error
        }
      }
      return { tokens: tokens(), done }
    }
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal)
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new DOMException('The request was aborted', 'AbortError')
}
