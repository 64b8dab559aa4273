import type { ConfigService } from '../config/config-service'
import type { TaskProcessor } from '../ports/task-processor'
import { rankCandidates, type Candidate } from './candidates'
import { createCircuitBoard, type CircuitBoard, type OpenCircuit } from './circuit-board'
import { probeGeneration } from './circuit-probe'
import type { ModelSpeed, ModelStats } from './model-stats'
import type { NodeRegistry } from './node-registry'
import type { PromptMessage } from './provider'
import { timeoutMs } from './request-kinds'
import { createChat, type ChatOptions } from './router-chat'
import { routerTaskProcessor, type TaskModelCall, type TaskModelFailure } from './router-task-processor'

export type { ChatOptions, SpentInFailure } from './router-chat'

export interface Router extends TaskProcessor {
  /** Where a request could go now: up nodes, closed circuits, best first. */
  candidates(options: Pick<ChatOptions, 'category' | 'model' | 'node'>): Candidate[]
  /** The open circuits that keep candidates out (none when nothing is held back by a circuit). */
  blockedBy(options: Pick<ChatOptions, 'category' | 'model' | 'node'>): OpenCircuit[]
  /**
   * The answer's tokens as they arrive. Falls back to the next candidate on
   * an error, a timeout before the first token, or an echo, as long as nothing
   * was handed out yet; text that is still a prefix of the prompt is held back
   * until it is clear it is not an echo. Throws RouteError.
   */
  chat(messages: readonly PromptMessage[], options?: ChatOptions): AsyncIterable<string>
  /** Told by the supervisor when a backend's log shows it ran out of memory. */
  noteOom(node: string): void
  /** Time to first token and tokens per second per node + model. */
  speeds(): ModelSpeed[]
  readonly circuits: CircuitBoard
  /** Runs one probe for each open circuit whose probe is due; resolves when they have finished. */
  probeCircuits(): Promise<void>
  /** Every answer a task got (the worker's calls), for the usage ledger; returns the unsubscribe. */
  onTaskModelCall(listener: (call: TaskModelCall) => void): () => void
  /** Every model request of a task that got no answer, for the trail; returns the unsubscribe. */
  onTaskModelFailure(listener: (failure: TaskModelFailure) => void): () => void
}

export interface RouterDeps {
  readonly registry: NodeRegistry
  readonly stats: ModelStats
  readonly config: Pick<ConfigService, 'get'>
  readonly preferences: () => ReadonlyMap<string, string>
  readonly now?: () => number
  /** The circuits, on their own (wall) clock; made here when not given. */
  readonly circuits?: CircuitBoard
}

// While tasks wait on a node that is down, it is looked at again this often, so a server back from a crash is used within seconds.
const DOWN_RESCAN_MS = 1_000

export function createRouter(deps: RouterDeps): Router {
  const { registry, stats, config } = deps
  const now = deps.now ?? (() => performance.now())
  const circuits = deps.circuits ?? createCircuitBoard({ config })
  const probing = new Set<string>()
  // A node seen down and then up again was restarted: its open circuits are probed at once, not at their backoff.
  const wasDown = new Set<string>()
  registry.onChange(() => {
    for (const node of registry.nodes()) {
      const state = registry.status(node.id).state
      if (state === 'down') wasDown.add(node.id)
      else if (state === 'up' && wasDown.delete(node.id)) {
        circuits.expedite(node.id)
        void probeCircuits()
      }
    }
  })

  /** Every node/model pair a request could use if every circuit were closed. */
  function ranked(options: Pick<ChatOptions, 'category' | 'model' | 'node'>): Candidate[] {
    const prefs = deps.preferences()
    const models = [
      options.model,
      options.category ? prefs.get(options.category) : undefined,
      prefs.get('general')
    ].filter((m): m is string => typeof m === 'string' && m.length > 0)
    const views = registry.nodes().map((node) => ({ node, status: registry.status(node.id) }))
    return rankCandidates(
      views,
      stats.load(views.map((v) => v.node.id)),
      { models, node: options.node ?? null, anyModel: true },
      config.get('models.heavyModelGb')
    )
  }

  function candidates(options: Pick<ChatOptions, 'category' | 'model' | 'node'>): Candidate[] {
    return ranked(options).filter((c) => circuits.allows(c.node, c.model))
  }

  function blockedBy(options: Pick<ChatOptions, 'category' | 'model' | 'node'>): OpenCircuit[] {
    return ranked(options).flatMap((c) => circuits.find(c.node, c.model) ?? [])
  }

  const chat = createChat({ registry, stats, config, circuits, now, candidates, blockedBy })

  async function probeCircuits(): Promise<void> {
    const due = circuits.startDueProbes()
    await Promise.all(
      due.map(async ({ node, model }) => {
        const id = `${node}\u0000${model}`
        const provider = registry.provider(node)
        if (probing.has(id)) return
        if (!provider) return circuits.probed(node, model, { ok: false, failure: 'the node is no longer configured' })
        probing.add(id)
        try {
          const loaded = registry.status(node).loaded
          const outcome = await probeGeneration(provider, model, {
            loaded: loaded === null || loaded.some((m) => m.name === model),
            loadBufferMs: timeoutMs('load', config),
            keepAlive: `${config.get('models.keepAliveMin')}m`
          })
          circuits.probed(node, model, outcome)
          // A probe refused like any request: the node is down now, and its next scan tells when it is back.
          if (!outcome.ok && outcome.kind === 'connection') registry.markDown(node, outcome.message)
        } finally {
          probing.delete(id)
        }
      })
    )
  }

  const taskCallListeners = new Set<(call: TaskModelCall) => void>()
  const taskFailureListeners = new Set<(failure: TaskModelFailure) => void>()
  const processor = routerTaskProcessor({
    reportCall: (call) => {
      for (const listener of taskCallListeners) listener(call)
    },
    reportFailure: (failure) => {
      for (const listener of taskFailureListeners) listener(failure)
    },
    registry,
    stats,
    config,
    circuits,
    candidates,
    blockedBy,
    chat,
    probeCircuits,
    rescanDown: () => registry.rescanDown(DOWN_RESCAN_MS)
  })
  return {
    ...processor,
    candidates,
    blockedBy,
    chat,
    circuits,
    probeCircuits,
    noteOom: (node) => stats.noteOom(node),
    onTaskModelCall(listener) {
      taskCallListeners.add(listener)
      return () => taskCallListeners.delete(listener)
    },
    onTaskModelFailure(listener) {
      taskFailureListeners.add(listener)
      return () => taskFailureListeners.delete(listener)
    },
    speeds: () => stats.speeds()
  }
}
