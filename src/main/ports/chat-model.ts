/**
 * Streaming chat completions for the chat pipeline and the board, without
 * knowing about nodes or providers: the router implements it, tests use
 * scripted models.
 */
export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant'
  readonly content: string
}

/** What the caller wants; the router picks the node and model. */
export interface ChatModelRequest {
  readonly messages: readonly ChatTurn[]
  /** Routing hint: a task category (coding, analysis, …) and a size class. */
  readonly category?: string
  readonly size?: 'light' | 'heavy'
  /** A specific model, when the expert or the user asked for one. */
  readonly model?: string
  readonly signal: AbortSignal
  readonly correlationId: string
  /** Structured output: the answer is JSON of this schema, enforced by the backend that answers. */
  readonly jsonSchema?: { readonly name: string; readonly schema: Readonly<Record<string, unknown>> }
  /**
   * Told of each attempt that gave no answer after it spent tokens (a stream cut or failing part-way,
   * an echo, a stop): they are paid for too, whether or not another model answers after it.
   */
  readonly onSpentInFailure?: (info: ChatCompletionInfo) => void
}

export interface ChatCompletionInfo {
  readonly node: string
  readonly model: string
  readonly tokensIn: number
  readonly tokensOut: number
  /** 'backend': the model server's own counts; 'estimate': it sent none, so they were estimated from the text. */
  readonly counted: 'backend' | 'estimate'
  readonly ttftMs: number | null
  readonly durationMs: number
  /** True when the router had to fall back from its first candidate. */
  readonly fellBack: boolean
}

export interface ChatStream {
  /** Tokens as they arrive. Ends normally, or throws (abort, timeout, every candidate failed). */
  readonly tokens: AsyncIterable<string>
  /** Settles after the tokens end: where the answer came from and what it cost. */
  readonly done: Promise<ChatCompletionInfo>
}

export interface ChatModel {
  stream(request: ChatModelRequest): ChatStream
}
