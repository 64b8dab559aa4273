import type { ConfigService } from '../config/config-service'
import type { ModelStore, RemoteKind } from './model-store'
import { createOllamaProvider } from './ollama-provider'
import { createOpenAiProvider } from './openai-provider'
import type { BackendKind, LoadedModel, ModelInfo, ModelProvider } from './provider'
import { toProviderError } from './provider-error'
import { timeoutMs } from './request-kinds'

export interface NodeDescriptor {
  readonly id: string
  readonly kind: BackendKind
  readonly url: string
  readonly label: string
  /** `settings`: from ollama.apiUrl / mlx.apiUrl, changed in Settings; `user`: added in the Models view. */
  readonly source: 'settings' | 'user'
}

export type NodeState = 'unknown' | 'up' | 'down'

export interface NodeStatus {
  readonly state: NodeState
  readonly latencyMs: number | null
  readonly models: readonly ModelInfo[]
  /** null when the backend cannot tell which models are in memory. */
  readonly loaded: readonly LoadedModel[] | null
  readonly error: string | null
  readonly scannedAt: string | null
}

export type AddNodeResult =
  | { readonly ok: true; readonly node: NodeDescriptor }
  | { readonly ok: false; readonly code: 'invalid_input' | 'conflict'; readonly message: string }

export interface NodeRegistry {
  /** The same list until a node's URL, the embedded switch or the user's nodes change. */
  nodes(): readonly NodeDescriptor[]
  node(id: string): NodeDescriptor | undefined
  provider(id: string): ModelProvider | undefined
  status(id: string): NodeStatus
  /** Scans the given nodes (all when omitted) now. */
  scan(ids?: readonly string[]): Promise<void>
  /** Scans the nodes whose last scan is older than the TTL. */
  refreshStale(): Promise<void>
  /**
   * Marks a node down at once, without waiting for the next scan: a request found it refusing or
   * resetting connections. Its next scan (after the scan TTL) may find it up again.
   */
  markDown(id: string, error: string): void
  /** Scans the down nodes last scanned at least `olderThanMs` ago: while work waits, a server that came back is seen within seconds. */
  rescanDown(olderThanMs: number): Promise<void>
  add(kind: RemoteKind, url: string, label: string): AddNodeResult
  remove(
    id: string
  ): { readonly ok: true } | { readonly ok: false; readonly code: 'not_found' | 'forbidden'; readonly message: string }
  /**
   * Whether the node counts when it is down: added by the user, ever seen up at its URL, its URL set
   * explicitly, or its server supervised. A settings node at its default URL that nothing ever
   * answered (the MLX server nobody set up) is not configured, not down.
   */
  configured(id: string): boolean
  /** Called after any scan that changed a node's state, models or loaded models, and after add/remove. */
  onChange(listener: () => void): () => void
  start(): void
  stop(): void
}

export type ProviderFactory = (kind: BackendKind, url: string, nodeId: string) => ModelProvider

const UNKNOWN: NodeStatus = {
  state: 'unknown',
  latencyMs: null,
  models: [],
  loaded: null,
  error: null,
  scannedAt: null
}

export const defaultProviderFactory: ProviderFactory = (kind, url) => {
  if (kind === 'ollama') return createOllamaProvider(url)
  if (kind === 'openai') return createOpenAiProvider(url)
  throw new Error('the embedded engine is not a remote node')
}

export function createNodeRegistry(deps: {
  config: Pick<ConfigService, 'get' | 'onChange'>
  store: ModelStore
  providerFactory?: ProviderFactory
  /** The data dir's models folder, offered as the embedded node while embedded.enabled is on. */
  embeddedModelsDir?: string
  now?: () => number
  /** Whether a setting has a value the owner chose (settings file, environment, command line), not the default. */
  isExplicit?: (key: 'ollama.apiUrl' | 'mlx.apiUrl') => boolean
}): NodeRegistry {
  const { config, store } = deps
  const factory = deps.providerFactory ?? defaultProviderFactory
  const now = deps.now ?? Date.now
  const providers = new Map<string, { url: string; provider: ModelProvider }>()
  const statuses = new Map<string, NodeStatus>()
  const scannedAtMs = new Map<string, number>()
  const inFlight = new Map<string, Promise<void>>()
  const listeners = new Set<() => void>()
  let timer: NodeJS.Timeout | null = null
  let unsubscribe: (() => void) | null = null
  let stopped = false
  // Read once and kept in step with add/remove, so routing never queries SQLite.
  let userNodes: NodeDescriptor[] = store
    .nodes()
    .map((n) => ({ id: n.id, kind: n.kind, url: n.url, label: n.label, source: 'user' }))
  const seenUp = store.seenUp()

  const notify = (): void => {
    for (const l of listeners) l()
  }

  // Every routed request reads the list three times before it sends; it is built again only when
  // what it is made of changed (each setting is compared by value, the user's nodes by identity).
  let built: {
    readonly ollama: string
    readonly mlx: string
    readonly embedded: boolean
    readonly user: readonly NodeDescriptor[]
    readonly list: readonly NodeDescriptor[]
  } | null = null

  function nodes(): readonly NodeDescriptor[] {
    const ollama = config.get('ollama.apiUrl')
    const mlx = config.get('mlx.apiUrl')
    const embedded = Boolean(deps.embeddedModelsDir) && config.get('embedded.enabled')
    if (
      built &&
      built.ollama === ollama &&
      built.mlx === mlx &&
      built.embedded === embedded &&
      built.user === userNodes
    )
      return built.list
    const list = build(ollama, mlx, embedded)
    built = { ollama, mlx, embedded, user: userNodes, list }
    return list
  }

  function build(ollama: string, mlx: string, embeddedOn: boolean): readonly NodeDescriptor[] {
    const fromSettings: NodeDescriptor[] = [
      {
        id: 'ollama-local',
        kind: 'ollama',
        url: ollama,
        label: 'Ollama on this Mac',
        source: 'settings'
      },
      { id: 'mlx-local', kind: 'openai', url: mlx, label: 'MLX on this Mac', source: 'settings' }
    ]
    const embedded: NodeDescriptor[] =
      deps.embeddedModelsDir !== undefined && embeddedOn
        ? [
            {
              id: 'embedded',
              kind: 'embedded',
              url: deps.embeddedModelsDir,
              label: 'Embedded llama.cpp',
              source: 'settings'
            }
          ]
        : []
    return [...fromSettings, ...embedded, ...userNodes]
  }

  function provider(id: string): ModelProvider | undefined {
    const node = nodes().find((n) => n.id === id)
    if (!node) return undefined
    const cached = providers.get(id)
    if (cached && cached.url === node.url) return cached.provider
    const created = factory(node.kind, node.url, node.id)
    providers.set(id, { url: node.url, provider: created })
    if (cached) {
      statuses.delete(id)
      scannedAtMs.delete(id)
    }
    return created
  }

  async function scanOne(node: NodeDescriptor): Promise<void> {
    const p = provider(node.id)
    if (!p) return
    const started = now()
    const signal = AbortSignal.timeout(timeoutMs('scan', config))
    let next: NodeStatus
    try {
      const [models, loaded] = await Promise.all([p.listModels(signal), p.loadedModels(signal)])
      next = {
        state: 'up',
        latencyMs: now() - started,
        models,
        loaded,
        error: null,
        scannedAt: new Date(now()).toISOString()
      }
    } catch (error) {
      const e = toProviderError(error, signal, `${node.label} (${node.url})`)
      const message =
        e.kind === 'aborted'
          ? `${node.label} (${node.url}) did not answer within ${timeoutMs('scan', config) / 1000} s`
          : e.message
      const previous = statuses.get(node.id) ?? UNKNOWN
      next = {
        ...previous,
        state: 'down',
        latencyMs: null,
        loaded: previous.loaded === null ? null : [],
        error: message,
        scannedAt: new Date(now()).toISOString()
      }
    }
    if (stopped || !nodes().some((n) => n.id === node.id)) return
    const before = statuses.get(node.id) ?? UNKNOWN
    if (next.state === 'up' && seenUp.get(node.id) !== node.url) {
      seenUp.set(node.id, node.url)
      store.markSeenUp(node.id, node.url)
    }
    statuses.set(node.id, next)
    scannedAtMs.set(node.id, now())
    if (changed(before, next)) notify()
  }

  function scan(ids?: readonly string[]): Promise<void> {
    const targets = nodes().filter((n) => !ids || ids.includes(n.id))
    return Promise.all(
      targets.map((node) => {
        let pending = inFlight.get(node.id)
        if (!pending) {
          pending = scanOne(node).finally(() => inFlight.delete(node.id))
          inFlight.set(node.id, pending)
        }
        return pending
      })
    ).then(() => undefined)
  }

  function schedule(): void {
    if (timer) clearInterval(timer)
    timer = setInterval(() => void scan(), config.get('models.scanIntervalSec') * 1000)
    timer.unref()
  }

  return {
    nodes,
    node: (id) => nodes().find((n) => n.id === id),
    provider,
    status: (id) => statuses.get(id) ?? UNKNOWN,
    scan,
    configured(id) {
      const node = nodes().find((n) => n.id === id)
      if (!node) return false
      if (node.source === 'user' || node.kind === 'embedded' || seenUp.get(id) === node.url) return true
      const [urlKey, supervisorKey] =
        id === 'ollama-local'
          ? (['ollama.apiUrl', 'supervisor.ollama'] as const)
          : (['mlx.apiUrl', 'supervisor.mlx'] as const)
      return (deps.isExplicit?.(urlKey) ?? false) || config.get(supervisorKey) !== 'off'
    },
    markDown(id, error) {
      const node = nodes().find((n) => n.id === id)
      if (!node) return
      const previous = statuses.get(id) ?? UNKNOWN
      if (previous.state === 'down') return
      const next: NodeStatus = {
        ...previous,
        state: 'down',
        latencyMs: null,
        loaded: previous.loaded === null ? null : [],
        error,
        scannedAt: new Date(now()).toISOString()
      }
      statuses.set(id, next)
      scannedAtMs.set(id, now())
      notify()
    },
    rescanDown(olderThanMs) {
      const due = nodes().filter(
        (n) => statuses.get(n.id)?.state === 'down' && now() - (scannedAtMs.get(n.id) ?? -Infinity) >= olderThanMs
      )
      return due.length ? scan(due.map((n) => n.id)) : Promise.resolve()
    },
    refreshStale() {
      const ttl = config.get('models.scanTtlSec') * 1000
      const stale = nodes().filter((n) => now() - (scannedAtMs.get(n.id) ?? -Infinity) >= ttl)
      return stale.length ? scan(stale.map((n) => n.id)) : Promise.resolve()
    },
    add(kind, rawUrl, rawLabel) {
      const url = rawUrl.trim().replace(/\/+$/, '')
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return {
          ok: false,
          code: 'invalid_input',
          message: `The node URL "${rawUrl}" is not a URL. Give one like http://192.168.1.20:11434.`
        }
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        return {
          ok: false,
          code: 'invalid_input',
          message: `The node URL "${rawUrl}" must start with http:// or https://.`
        }
      }
      const existing = nodes().find((n) => n.url.replace(/\/+$/, '') === url)
      if (existing)
        return {
          ok: false,
          code: 'conflict',
          message: `${url} is already a node ("${existing.label}"). Remove that one first to add it again.`
        }
      const id = `${kind}-${parsed.host.replace(/[^a-zA-Z0-9]+/g, '-')}`
      if (nodes().some((n) => n.id === id))
        return { ok: false, code: 'conflict', message: `A node with the id ${id} exists already; remove it first.` }
      const label = rawLabel.trim() || `${kind === 'ollama' ? 'Ollama' : 'OpenAI-compatible'} at ${parsed.host}`
      store.addNode({ id, kind, url, label, addedAt: new Date(now()).toISOString() })
      userNodes = [...userNodes, { id, kind, url, label, source: 'user' }]
      notify()
      void scan([id])
      const node = nodes().find((n) => n.id === id)
      if (!node) throw new Error(`node ${id} was stored but cannot be read back`)
      return { ok: true, node }
    },
    remove(id) {
      const node = nodes().find((n) => n.id === id)
      if (!node)
        return { ok: false, code: 'not_found', message: `There is no node "${id}". List nodes with models.list.` }
      if (node.source === 'settings') {
        return {
          ok: false,
          code: 'forbidden',
          message: `"${node.label}" comes from Settings (${node.id === 'ollama-local' ? 'ollama.apiUrl' : 'mlx.apiUrl'}); change its URL there instead.`
        }
      }
      store.removeNode(id)
      userNodes = userNodes.filter((n) => n.id !== id)
      providers.delete(id)
      statuses.delete(id)
      scannedAtMs.delete(id)
      notify()
      return { ok: true }
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      schedule()
      unsubscribe = config.onChange(() => {
        schedule()
        const stale = nodes().filter((n) => providers.get(n.id)?.url !== n.url)
        if (stale.length) void scan(stale.map((n) => n.id))
      })
      void scan()
    },
    stop() {
      stopped = true
      if (timer) clearInterval(timer)
      timer = null
      unsubscribe?.()
      unsubscribe = null
    }
  }
}

function changed(a: NodeStatus, b: NodeStatus): boolean {
  return (
    a.state !== b.state ||
    a.error !== b.error ||
    a.models.map((m) => m.name).join('\n') !== b.models.map((m) => m.name).join('\n') ||
    (a.loaded ?? []).map((m) => m.name).join('\n') !== (b.loaded ?? []).map((m) => m.name).join('\n')
  )
}
