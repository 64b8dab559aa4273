/**
 * What the chat pipeline needs of the knowledge base: context for a question
 * and the response cache in front of the LLM. The knowledge capability
 * implements it.
 */
export interface KnowledgeSource {
  readonly nodeId: string
  readonly title: string
}

export interface KnowledgeContext {
  /** Context text within the configured token budget, and where it came from; empty when nothing matches. */
  contextFor(
    question: string,
    signal?: AbortSignal
  ): Promise<{ readonly text: string; readonly sources: readonly KnowledgeSource[] }>
  /** A cached answer for this prompt (normalized), or null. A damaged entry is a miss. */
  cachedAnswer(prompt: string): string | null
  rememberAnswer(prompt: string, answer: string): void
}
