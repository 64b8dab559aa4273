import { randomUUID } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { ModelsOverview, NodeView } from '../../shared/contract/models-contract'
import { BACKEND_LIMIT_KEYS, limitForNode, type BackendLimitValues } from '../../shared/backend-limits'
import type { ConfigService } from '../config/config-service'
import type { Db } from '../db/database'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { Embedder } from '../ports/embedder'
import type { HealthContributor, HealthReport } from '../ports/health-contributor'
import type { Capability } from '../rpc/handler-types'
import { refuse } from '../rpc/refusal'
import { createModelStats } from './model-stats'
import { createModelStore } from './model-store'
import { createCircuitBoard } from './circuit-board'
import { circuitView, circuitsOverview, modelsOverview } from './models-overview'
import { createEmbeddedProvider } from './embedded/embedded-provider'
import { createNodeLimitStore, type NodeLimitStore } from './node-limits'
import {
  createNodeRegistry,
  defaultProviderFactory,
  type NodeDescriptor,
  type NodeRegistry,
  type ProviderFactory
} from './node-registry'
import { unreachable } from './node-unreachable'
import { createPullManager } from './pull-manager'
import { RouteError } from './route-error'
import { createOpenAiProvider } from './openai-provider'
import { createRouter, type Router } from './router'
import { createRouterEmbedder } from './router-embedder'

export interface ModelsCapability extends Capability<'models'> {
  readonly router: Router
  readonly embedder: Embedder
  readonly registry: NodeRegistry
  /** Each node's own caps (Models view), read by the scheduler's per-node limits. */
  readonly nodeLimits: NodeLimitStore
  /** The nodes' part of the app's health. */
  readonly health: HealthContributor
  /** Starts scanning the nodes. */
  begin(): void
}

export function createModelsCapability(deps: {
  config: ConfigService
  db: Db
  events: EventBus
  log: Logger
  providerFactory?: ProviderFactory
  /** GGUF files for the embedded engine, and the built worker file that runs it. */
  embedded?: { modelsDir: string; workerFile: string }
  /** The API key stored for a node (secrets `node:<id>`), sent to OpenAI-compatible servers. */
  apiKey?: (nodeId: string) => string | null
  /** Told of every answered model request: its time to first token and duration (the metrics' histograms). */
  onAnswered?: (node: string, model: string, sample: { readonly ttftMs: number; readonly totalMs: number }) => void
}): ModelsCapability {
  const { config, events, log } = deps
  const store = createModelStore(deps.db)
  const embeddedSetup = deps.embedded
  let embeddedProvider: ReturnType<typeof createEmbeddedProvider> | null = null
  const factory: ProviderFactory = (kind, url, nodeId) => {
    if (kind === 'openai' && !deps.providerFactory)
      return createOpenAiProvider(url, () => deps.apiKey?.(nodeId) ?? null)
    if (kind !== 'embedded' || !embeddedSetup)
      return (deps.providerFactory ?? defaultProviderFactory)(kind, url, nodeId)
    // Half the cores: llama.cpp's threads spin while they wait, and the app, Ollama and the UI need the rest.
    embeddedProvider ??= createEmbeddedProvider({
      modelsDir: embeddedSetup.modelsDir,
      startWorker: () => new Worker(embeddedSetup.workerFile),
      threads: Math.max(1, Math.floor(availableParallelism() / 2))
    })
    return embeddedProvider
  }
  // A URL from the settings file, the environment or the command line was chosen by the owner; a default or a profile's was not.
  const isExplicit = (key: 'ollama.apiUrl' | 'mlx.apiUrl'): boolean => {
    const source = config.snapshot().settings.find((e) => e.key === key)?.source
    return source !== undefined && source.kind !== 'default' && source.kind !== 'profile'
  }
  const registry = createNodeRegistry({
    config,
    store,
    providerFactory: factory,
    isExplicit,
    ...(embeddedSetup ? { embeddedModelsDir: embeddedSetup.modelsDir } : {})
  })
  const measured = createModelStats()
  const onAnswered = deps.onAnswered
  // The metrics' latency histograms see every answered request as the router measured it.
  const stats: typeof measured = onAnswered
    ? {
        ...measured,
        recordSuccess(node, model, sample) {
          measured.recordSuccess(node, model, sample)
          onAnswered(node, model, sample)
        }
      }
    : measured
  const preferences = (): ReadonlyMap<string, string> => store.preferences()
  const circuits = createCircuitBoard({ config })
  const router = createRouter({ registry, stats, config, preferences, circuits })
  const embedder = createRouterEmbedder({ registry, config, preferences })
  const pulls = createPullManager({ registry, emit: (p) => events.emit('models.pullProgress', p) })
  const chats = new Set<AbortController>()
  let probeTimer: NodeJS.Timeout | null = null

  const nodeLimits = createNodeLimitStore(deps.db)
  const limitOf = (node: NodeDescriptor): NodeView['limit'] => {
    const own = nodeLimits.get(node.id)
    const values = Object.fromEntries(BACKEND_LIMIT_KEYS.map((key) => [key, config.get(key)])) as BackendLimitValues
    return { ...limitForNode(node.kind, own, values), own }
  }
  const overview = (): ModelsOverview =>
    modelsOverview(
      registry,
      router,
      store.preferences(),
      config.get('models.heavyModelGb'),
      config.get('models.generationStatsMin'),
      limitOf
    )
  const unsubscribe = registry.onChange(() => events.emit('models.changed', overview()))
  const unsubscribeCircuits = circuits.onTransition((t) => {
    if (t.to === 'open' && t.from === 'closed')
      log.warn('circuit opened: nothing is planned on it until a probe succeeds', {
        node: t.node,
        model: t.model,
        reason: t.circuit?.reason
      })
    if (t.to === 'closed') log.info('circuit closed: a probe generation succeeded', { node: t.node, model: t.model })
    events.emit('models.circuitChanged', {
      node: t.node,
      model: t.model,
      from: t.from,
      to: t.to,
      circuit: t.circuit ? circuitView(t.circuit) : null
    })
    events.emit('models.changed', overview())
  })

  const health: HealthContributor = {
    component: 'models',
    report(): HealthReport {
      // A settings node nobody configured and that was never up is not in use, so it is not a problem.
      const watched = registry.nodes().filter((n) => registry.configured(n.id))
      const scanned = watched.filter((n) => registry.status(n.id).state !== 'unknown')
      const down = scanned.filter((n) => registry.status(n.id).state === 'down')
      const up = registry.nodes().filter((n) => registry.status(n.id).state === 'up')
      const open = circuits.open()
      const reasons = [
        ...down.map((n) => unreachable(n.label, n.url, registry.status(n.id).error)),
        ...open.map((c) => `Circuit open: ${c.reason}`)
      ]
      if (up.length === 0 && scanned.length > 0)
        return {
          component: 'models',
          level: 'down',
          reasons: reasons.length ? reasons : ['No model node is reachable.']
        }
      // Up but failing: when no chat model on any up node has a closed circuit, nothing can be generated.
      if (open.length > 0 && router.candidates({}).length === 0) return { component: 'models', level: 'down', reasons }
      return { component: 'models', level: reasons.length ? 'degraded' : 'ok', reasons }
    }
  }

  return {
    router,
    embedder,
    registry,
    nodeLimits,
    health,
    begin() {
      registry.start()
      // Open circuits are probed on time even while no task asks for a plan (the Models view, chat).
      probeTimer = setInterval(() => void router.probeCircuits(), 500)
      probeTimer.unref()
    },
    handlers: {
      'models.list': () => overview(),
      'models.circuits': () => circuitsOverview(circuits, config.get('models.generationStatsMin')),
      'models.scan': async () => {
        await registry.scan()
        return overview()
      },
      'models.addNode': ({ kind, url, label }, ctx) => {
        const added = registry.add(kind, url, label)
        if (!added.ok) return refuse(added.code, added.message)
        ctx.log.info('model node added', { node: added.node.id, url: added.node.url })
        return overview()
      },
      'models.removeNode': ({ id }, ctx) => {
        const removed = registry.remove(id)
        if (!removed.ok) return refuse(removed.code, removed.message)
        nodeLimits.set(id, null)
        ctx.log.info('model node removed', { node: id })
        return overview()
      },
      'models.setNodeLimit': ({ id, maxConcurrent, maxHeavy }, ctx) => {
        if (!registry.node(id))
          return refuse(
            'not_found',
            `There is no model node "${id}". Use the id of a node listed by models.list (e.g. "mlx-local").`
          )
        nodeLimits.set(id, { maxConcurrent, maxHeavy })
        ctx.log.info('node limits set', { node: id, max_concurrent: maxConcurrent, max_heavy: maxHeavy })
        const next = overview()
        events.emit('models.changed', next)
        return next
      },
      'models.setPreference': ({ category, model }, ctx) => {
        store.setPreference(category.trim(), model === null ? null : model.trim())
        ctx.log.info('model preference set', { category, model })
        const next = overview()
        events.emit('models.changed', next)
        return next
      },
      'models.pull': ({ node, model }, ctx) => {
        const started = pulls.start(node, model.trim())
        if (!started.ok) return refuse(started.code, started.message)
        ctx.log.info('model pull started', { node, model })
        return started.progress
      },
      'models.chat': ({ messages, category, model, node }) => {
        const requestId = randomUUID()
        const controller = new AbortController()
        chats.add(controller)
        const answering: { current: { node: string; model: string } | null } = { current: null }
        void (async () => {
          try {
            const stream = router.chat(messages, {
              signal: controller.signal,
              ...(category ? { category } : {}),
              model: model ?? null,
              node: node ?? null,
              onAnswering: (c) => (answering.current = c)
            })
            for await (const token of stream) events.emit('models.chatToken', { requestId, token })
            events.emit('models.chatDone', {
              requestId,
              ok: true,
              node: answering.current?.node ?? null,
              model: answering.current?.model ?? null,
              error: null
            })
          } catch (error) {
            const message = error instanceof RouteError || error instanceof Error ? error.message : String(error)
            log.warn('chat request failed', { request_id: requestId, error: message })
            events.emit('models.chatDone', { requestId, ok: false, node: null, model: null, error: message })
          } finally {
            chats.delete(controller)
          }
        })()
        return { requestId }
      }
    },
    onSystemResume: () => registry.scan(),
    stop() {
      unsubscribe()
      unsubscribeCircuits()
      if (probeTimer) clearInterval(probeTimer)
      probeTimer = null
      registry.stop()
      pulls.stop()
      for (const c of chats) c.abort()
      chats.clear()
      return embeddedProvider?.close()
    }
  }
}
