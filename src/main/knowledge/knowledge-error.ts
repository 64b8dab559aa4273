/** Why the knowledge base refused something; handlers turn it into the matching RPC error. */
export type KnowledgeErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'unavailable' | 'dimension_mismatch'

export class KnowledgeError extends Error {
  constructor(
    readonly code: KnowledgeErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'KnowledgeError'
  }
}
