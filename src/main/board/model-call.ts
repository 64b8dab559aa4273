import type { ChatCompletionInfo, ChatModel, ChatModelRequest } from '../ports/chat-model'

export interface CompletedText {
  readonly text: string
  readonly info: ChatCompletionInfo
}

/**
 * Reads a streamed answer to its end. `done` is observed at once: when the
 * token stream throws, `done` rejects as well, and an unobserved rejection
 * would take the whole process down.
 */
export async function completeText(model: ChatModel, request: ChatModelRequest, onToken?: (token: string) => void): Promise<CompletedText> {
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

/** The message of anything thrown, for people and log lines. */
/** An error's message without its closing period, for quoting inside a sentence of our own. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error)
  return text.replace(/\.+$/, '')
}
