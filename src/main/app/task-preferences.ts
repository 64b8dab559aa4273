import type { ModelsOverview, NodeView } from '../../shared/contract/models-contract'
import { isEmbeddingModel, sameModel } from '../models/candidates'
import type { Handler } from '../rpc/handler-types'
import { Refusal, refuse } from '../rpc/refusal'
import { chatModelNames, chatModelsOn } from './chat-models'

const issue = (path: string, message: string): Refusal =>
  refuse('invalid_input', message, { issues: [{ path, message }] })

/**
 * `tasks.create` with its preferred node and model checked against the nodes the app knows. The router
 * treats both as preferences, so a name nobody has (a typo, a node removed) was taken and silently
 * ignored: the task ran on whatever the router picked. Now such a name is refused, naming the value and
 * what there is. A node given by its label is stored by its id, the name the router matches. A node that
 * is not up cannot say which models it has, so a model that may be on it is taken as given.
 */
export function checkingPreferences(
  create: Handler<'tasks.create'>,
  models: () => Promise<ModelsOverview | Refusal>
): Handler<'tasks.create'> {
  return async (input, ctx) => {
    const { preferredBackend, preferredModel } = input
    if (!preferredBackend && !preferredModel) return create(input, ctx)
    const overview = await models()
    if (overview instanceof Refusal) return overview
    let node: NodeView | undefined
    if (preferredBackend) {
      const wanted = preferredBackend.toLowerCase()
      node = overview.nodes.find((n) => n.id === preferredBackend || n.label.toLowerCase() === wanted)
      if (!node)
        return issue(
          'preferredBackend',
          `There is no node "${preferredBackend}". Pick one of: ${overview.nodes.map((n) => `${n.id} (${n.label})`).join(', ') || 'none; add one in the Models view'}, or leave it empty for any.`
        )
    }
    if (preferredModel) {
      const refusal = modelRefusal(overview, preferredModel, node)
      if (refusal) return refusal
    }
    return create(node ? { ...input, preferredBackend: node.id } : input, ctx)
  }
}

function modelRefusal(overview: ModelsOverview, model: string, node: NodeView | undefined): Refusal | null {
  const where = node ? [node] : overview.nodes.filter((n) => n.state !== 'not_configured')
  const known = chatModelsOn(where.filter((n) => n.state === 'up')) ?? 'none'
  if (isEmbeddingModel(model))
    return issue(
      'preferredModel',
      `"${model}" is an embedding model and cannot write answers. Pick a chat model (${known}), or leave it empty for any.`
    )
  // Only nodes that are up have said which models they have.
  if (where.some((n) => n.state !== 'up')) return null
  if (where.some((n) => chatModelNames(n).some((name) => sameModel(model, name)))) return null
  return issue(
    'preferredModel',
    node
      ? `${node.label} has no chat model "${model}". It has: ${chatModelNames(node).join(', ') || 'none'}. Pull it there in the Models view, pick another, or leave it empty for any.`
      : `No node has a chat model "${model}". Models there now: ${known}. Pull it in the Models view, pick one of those, or leave it empty for any.`
  )
}
