import type { NodeView } from '../../shared/contract/models-contract'
import { isEmbeddingModel } from '../models/candidates'

/** The models a node lists that can write answers (embedding models cannot). */
export const chatModelNames = (node: NodeView): string[] =>
  node.models.map((m) => m.name).filter((name) => !isEmbeddingModel(name))

/** "qwen2.5:7b, llama3.2:3b on Studio; mistral:7b on This Mac": the chat models of `nodes`, for a refusal to name; null when none has one. */
export function chatModelsOn(nodes: readonly NodeView[]): string | null {
  const listed = nodes.flatMap((n) => {
    const names = chatModelNames(n)
    return names.length > 0 ? [`${names.join(', ')} on ${n.label}`] : []
  })
  return listed.length > 0 ? listed.join('; ') : null
}
