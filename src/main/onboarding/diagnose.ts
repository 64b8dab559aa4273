import type {
  EmbeddedDownload,
  OllamaState,
  OnboardingNode,
  OnboardingProblem,
  OnboardingStatus,
  RecommendedModels
} from '../../shared/contract/onboarding-contract'
import { isEmbeddingModel, sameModel } from '../models/candidates'

/** What diagnosis reads: the nodes as the last scan saw them, the supervisor's view of Ollama, and the choices made. */
export interface OnboardingFacts {
  /** Every node, this Mac's Ollama (`ollama-local`) and the embedded engine included; settings nodes nobody configured left out. */
  readonly nodes: readonly {
    readonly id: string
    readonly label: string
    readonly url: string
    readonly kind: OnboardingNode['kind']
    readonly state: OnboardingNode['state']
    readonly models: readonly string[]
    readonly error: string | null
  }[]
  /** The supervisor's Ollama process; null when this build has no supervisor. */
  readonly ollamaProcess: {
    readonly installed: boolean
    readonly state: string
    readonly warning: string | null
    readonly command: string
  } | null
  readonly ollamaUrl: string
  /** The embedding model the knowledge base asks for (its preference, or the default). */
  readonly embeddingModel: string
  readonly recommended: RecommendedModels
  readonly embeddedEnabled: boolean
  readonly postponed: boolean
  readonly downloads: readonly EmbeddedDownload[]
}

const LOCAL = 'ollama-local'

/**
 * Whether the corporation can work (a chat model and the embedding model
 * answer on some node), and if not, what is missing in words a new owner
 * understands, each with the fix the app can make. Pure: the capability
 * gathers the facts, this decides.
 */
export function diagnose(facts: OnboardingFacts): OnboardingStatus {
  const nodes: OnboardingNode[] = facts.nodes.map((n) => ({
    id: n.id,
    label: n.label,
    url: n.url,
    kind: n.kind,
    state: n.state,
    chatModels: n.models.filter((m) => !isEmbeddingModel(m)),
    embeddingModels: n.models.filter((m) => isEmbeddingModel(m))
  }))
  const up = nodes.filter((n) => n.state === 'up')
  const hasChat = up.some((n) => n.chatModels.length > 0)
  const hasEmbedding = facts.nodes.some(
    (n) => n.state === 'up' && n.models.some((m) => sameModel(facts.embeddingModel, m))
  )
  const local = facts.nodes.find((n) => n.id === LOCAL)
  const ollama = ollamaState(facts, local)
  const pullNode = up.find((n) => n.id === LOCAL)?.id ?? up.find((n) => n.kind === 'ollama')?.id ?? null
  const checked = facts.nodes.every((n) => n.state !== 'unknown') || hasChat
  const problems: OnboardingProblem[] = []
  const recommended = facts.recommended
  const embeddedOffer = facts.embeddedEnabled
    ? ''
    : ' Or use the built-in engine: the app downloads a small model and needs nothing else.'

  if (!hasChat || !hasEmbedding) {
    if (ollama.state === 'not_installed')
      problems.push({
        kind: 'ollama_not_installed',
        title: 'Ollama is not installed',
        detail: `The app runs its models through Ollama, and it was not found on this Mac (looked for “${facts.ollamaProcess?.command ?? 'ollama serve'}”). Install it from ollama.com, or add a computer on your network that runs it.${embeddedOffer}`,
        fix: facts.embeddedEnabled ? 'add_node' : 'download_embedded'
      })
    else if (ollama.state === 'not_running')
      problems.push({
        kind: 'ollama_not_running',
        title: 'Ollama is installed but not running',
        detail: `Nothing answers at ${facts.ollamaUrl}. The app can start it and keep it running.`,
        fix: 'start_ollama'
      })
    else if (ollama.state === 'starting')
      problems.push({
        kind: 'ollama_starting',
        title: 'Ollama is starting',
        detail: `The app started Ollama and waits for it to answer at ${facts.ollamaUrl}.`,
        fix: null
      })
    else if (ollama.state === 'other_user')
      problems.push({
        kind: 'ollama_other_user',
        title: 'Ollama runs as another user',
        detail: ollama.detail ?? 'Ollama answers but sees none of the models on this Mac.',
        fix: null
      })
  }
  const pullTarget = pullNode ? nodes.find((n) => n.id === pullNode) : undefined
  const embeddedNode = up.find((n) => n.kind === 'embedded')
  if (!hasChat && (pullTarget || embeddedNode))
    problems.push({
      kind: 'no_chat_model',
      title: 'No chat model',
      detail: pullTarget
        ? `${pullTarget.label} has no model to chat with. The app can pull ${recommended.ollama.chat}.`
        : `The built-in engine has no chat model yet. The app can download ${recommended.embedded.chat.model}.`,
      fix: pullTarget ? 'pull_models' : 'download_embedded'
    })
  if (!hasEmbedding && (pullTarget || embeddedNode))
    problems.push({
      kind: 'no_embedding_model',
      title: 'No embedding model',
      detail: pullTarget
        ? `The knowledge base needs ${facts.embeddingModel} to understand your documents, and no server has it. The app can pull it onto ${pullTarget.label}.`
        : `The knowledge base needs ${facts.embeddingModel}, and the built-in engine does not have it yet. The app can download it.`,
      fix: pullTarget ? 'pull_models' : 'download_embedded'
    })
  if (!hasChat || !hasEmbedding)
    for (const n of facts.nodes.filter((n) => n.id !== LOCAL && n.kind !== 'embedded' && n.state === 'down'))
      problems.push({
        kind: 'node_down',
        title: `${n.label} does not answer`,
        detail: `${n.url}: ${n.error ?? 'no answer'}. Check that the computer is on and its server listens on the network.`,
        fix: null
      })

  return {
    ready: hasChat && hasEmbedding,
    checked,
    ollama,
    pullNode,
    nodes,
    problems,
    recommended,
    embeddedEnabled: facts.embeddedEnabled,
    postponed: facts.postponed,
    downloads: [...facts.downloads]
  }
}

function ollamaState(
  facts: OnboardingFacts,
  local: OnboardingFacts['nodes'][number] | undefined
): OnboardingStatus['ollama'] {
  const url = facts.ollamaUrl
  const process = facts.ollamaProcess
  const of = (state: OllamaState, detail: string | null = null): OnboardingStatus['ollama'] => ({ state, url, detail })
  if (local?.state === 'up') return process?.warning ? of('other_user', process.warning) : of('running')
  if (process && (process.state === 'starting' || process.state === 'restarting')) return of('starting')
  if (process && !process.installed) return of('not_installed')
  if (!local || local.state === 'unknown') return of('checking')
  return of('not_running', local.error)
}
