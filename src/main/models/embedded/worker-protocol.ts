/** Messages between the embedded provider (main thread) and the llama.cpp worker thread. */
export type ToWorker =
  | {
      readonly type: 'load'
      readonly id: number
      readonly modelPath: string
      readonly contextSize: number
      readonly threads: number
    }
  | {
      readonly type: 'complete'
      readonly id: number
      readonly prompt: string
      readonly maxTokens: number
      /** Structured output: generation is constrained by a grammar made from this JSON schema. */
      readonly jsonSchema?: Readonly<Record<string, unknown>>
    }
  | { readonly type: 'embed'; readonly id: number; readonly texts: readonly string[] }
  | { readonly type: 'abort'; readonly id: number }
  | { readonly type: 'unload'; readonly id: number }

export type FromWorker =
  | { readonly type: 'token'; readonly id: number; readonly text: string }
  | { readonly type: 'done'; readonly id: number }
  /** A completion's end, with its token counts from the model's tokenizer. */
  | { readonly type: 'completed'; readonly id: number; readonly tokensIn: number; readonly tokensOut: number }
  | { readonly type: 'vectors'; readonly id: number; readonly vectors: number[][] }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
