/**
 * How the knowledge base gets vectors without knowing about models: the
 * router implements this (Ollama nomic-embed-text by default, or the
 * embedded engine), tests use deterministic embedders.
 */
export interface EmbeddingModel {
  /** Stable id of the model, e.g. "ollama:nomic-embed-text"; a collection records it with its dimension. */
  readonly id: string
  readonly dimension: number
}

export type EmbedderState =
  { readonly available: true; readonly model: EmbeddingModel } | { readonly available: false; readonly reason: string }

export interface Embedder {
  /** Whether an embedding model is reachable now, and which. */
  state(): Promise<EmbedderState>
  /** One vector per text, in order, each of the model's dimension. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>
}
