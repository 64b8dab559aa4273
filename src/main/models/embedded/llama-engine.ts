import type * as NodeLlamaCpp from 'node-llama-cpp'
import type { GbnfJsonSchema, Llama, LlamaContext, LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp'

/**
 * node-llama-cpp behind three calls. The package is ESM-only, so it is
 * loaded with a dynamic import; this runs inside the worker thread, never on
 * the main loop.
 */
export interface LlamaEngine {
  /** threads 0: as many as llama.cpp picks for this machine. */
  load(modelPath: string, contextSize: number, threads: number): Promise<void>
  /**
   * With a JSON schema, llama.cpp samples only tokens its grammar allows: the answer is JSON of that schema.
   * Resolves with the tokens as the model's own tokenizer counts them: the prompt's and the ones generated.
   */
  complete(
    prompt: string,
    maxTokens: number,
    signal: AbortSignal,
    onText: (text: string) => void,
    jsonSchema?: Readonly<Record<string, unknown>>
  ): Promise<{ tokensIn: number; tokensOut: number }>
  embed(texts: readonly string[]): Promise<number[][]>
  unload(): Promise<void>
}

export function createLlamaEngine(): LlamaEngine {
  let loaded: {
    path: string
    llama: Llama
    model: LlamaModel
    context: LlamaContext
    embedding: LlamaEmbeddingContext | null
    contextSize: number
  } | null = null

  const module = (): Promise<typeof NodeLlamaCpp> => import('node-llama-cpp')

  async function unload(): Promise<void> {
    if (!loaded) return
    const current = loaded
    loaded = null
    await current.embedding?.dispose()
    await current.context.dispose()
    await current.model.dispose()
  }

  function need(): NonNullable<typeof loaded> {
    if (!loaded) throw new Error('no model is loaded in the embedded engine')
    return loaded
  }

  return {
    async load(modelPath, contextSize, threads) {
      if (loaded?.path === modelPath) return
      await unload()
      const { getLlama } = await module()
      const llama = await getLlama({ gpu: false, build: 'never' })
      const model = await llama.loadModel({ modelPath })
      const context = await model.createContext({
        contextSize: Math.min(contextSize, model.trainContextSize),
        ...(threads > 0 ? { threads } : {})
      })
      loaded = {
        path: modelPath,
        llama,
        model,
        context,
        embedding: null,
        contextSize: Math.min(contextSize, model.trainContextSize)
      }
    },
    async complete(prompt, maxTokens, signal, onText, jsonSchema) {
      const { LlamaCompletion } = await module()
      const { context, model, llama } = need()
      // The schema comes from our own validator's contract, not from a person: its shape is the grammar's input type.
      const grammar = jsonSchema
        ? await llama.createGrammarForJsonSchema<GbnfJsonSchema>(jsonSchema as GbnfJsonSchema)
        : undefined
      // The answer must fit in the context beside the prompt: past its end
      // the completion would have to shift the context, which a model without
      // room to spare cannot do.
      const tokensIn = model.tokenize(prompt).length
      const room = context.contextSize - tokensIn - 1
      if (room <= 0) throw new Error(`the prompt is longer than the model's context of ${context.contextSize} tokens`)
      const sequence = context.getSequence()
      let tokensOut = 0
      try {
        const completion = new LlamaCompletion({ contextSequence: sequence })
        await completion.generateCompletion(prompt, {
          maxTokens: Math.min(maxTokens, room),
          signal,
          stopOnAbortSignal: true,
          onTextChunk: onText,
          onToken: (tokens) => void (tokensOut += tokens.length),
          ...(grammar ? { grammar } : {})
        })
        return { tokensIn, tokensOut }
      } finally {
        sequence.dispose()
      }
    },
    async embed(texts) {
      const current = need()
      current.embedding ??= await current.model.createEmbeddingContext({ contextSize: current.contextSize })
      const out: number[][] = []
      for (const text of texts) out.push([...(await current.embedding.getEmbeddingFor(text)).vector])
      return out
    },
    unload
  }
}
