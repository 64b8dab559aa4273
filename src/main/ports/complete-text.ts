import type { ChatCompletionInfo, ChatModel, ChatModelRequest } from './chat-model'

export interface CompletedText {
  readonly text: string
  readonly info: ChatCompletionInfo
}

/**
 * Reads a streamed answer of a `ChatModel` to its end (the board and the chat
 * both need whole answers). `done` is observed at once: when the token stream
 * throws, `done` rejects as well, and an unobserved rejection would take the
 * whole process down.
 */
export async function completeText(
  model: ChatModel,
  request: ChatModelRequest,
  onToken?: (token: string) => void
): Promise<CompletedText> {
  const stream = model.stream(request)
  const done = stream.done
  done.catch(() => undefined)
  let text = ''
  for await (const token of stream.tokens) {
    text += token
    onToken?.(token)
  }
  return { text, info: await done }
}
