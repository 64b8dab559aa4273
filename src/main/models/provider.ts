/** What every model backend (Ollama, OpenAI-compatible, embedded llama.cpp) offers the router. */
export type BackendKind = 'ollama' | 'openai' | 'embedded'

/** One message of a prompt as a model backend takes it. */
export interface PromptMessage {
  readonly role: 'system' | 'user' | 'assistant'
  readonly content: string
}

export interface ModelInfo {
  readonly name: string
  readonly sizeBytes: number | null
}

export interface LoadedModel {
  readonly name: string
  readonly sizeBytes: number | null
  /** When the backend will unload it (Ollama's keep_alive); null when unknown. */
  readonly expiresAt: string | null
}

export interface ChatRequest {
  readonly model: string
  readonly messages: readonly PromptMessage[]
  readonly signal: AbortSignal
  /** How long the backend keeps the model loaded afterwards (Ollama keep_alive), e.g. "10m". */
  readonly keepAlive?: string
  /** Stop after this many tokens (a circuit's probe needs one); unlimited when absent. */
  readonly maxTokens?: number
  /** The backend's own token counts, once it reports them at the end of the answer. */
  readonly onUsage?: (usage: TokenUsage) => void
  /** Structured output: the answer must be JSON of this schema, enforced by the backend (Ollama `format`, OpenAI `response_format`, llama.cpp grammar). */
  readonly jsonSchema?: JsonSchemaRequest
}

/** A JSON schema the backend constrains its answer to; `name` is what OpenAI-compatible servers ask for. */
export interface JsonSchemaRequest {
  readonly name: string
  readonly schema: Readonly<Record<string, unknown>>
}

/** Tokens as the backend counted them (Ollama's prompt_eval_count and eval_count). */
export interface TokenUsage {
  readonly tokensIn: number
  readonly tokensOut: number
}

export interface PullProgress {
  readonly status: string
  readonly completed: number | null
  readonly total: number | null
}

export interface ModelProvider {
  readonly kind: BackendKind
  listModels(signal: AbortSignal): Promise<ModelInfo[]>
  /** Models in memory now; null when the backend cannot tell (then every listed model counts as ready). */
  loadedModels(signal: AbortSignal): Promise<LoadedModel[] | null>
  /** The answer's text, piece by piece. Throws ProviderError. */
  chat(request: ChatRequest): AsyncIterable<string>
  embed(model: string, texts: readonly string[], signal: AbortSignal): Promise<number[][]>
  /** Asks the backend to load a model without answering anything; absent where loading is implicit. */
  preload?(model: string, keepAlive: string, signal: AbortSignal): Promise<void>
  pull?(model: string, signal: AbortSignal, onProgress: (progress: PullProgress) => void): Promise<void>
}
