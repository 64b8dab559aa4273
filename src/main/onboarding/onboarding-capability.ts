import type { KosClient } from '../../shared/contract/client'
import type { NodeView, ProcessStatus, PullProgress } from '../../shared/contract/models-contract'
import type { EmbeddedDownload, OnboardingStatus } from '../../shared/contract/onboarding-contract'
import type { ConfigService } from '../config/config-service'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import { describeSource, outranksUserFile } from '../../shared/setting-source'
import { DEFAULT_EMBEDDING_MODEL } from '../models/router-embedder'
import type { Capability } from '../rpc/handler-types'
import { refuse, type Refusal } from '../rpc/refusal'
import { diagnose, type OnboardingFacts } from './diagnose'
import { downloadGguf, type DownloadOutcome, type GgufDownloadRequest } from './gguf-download'
import { bundledRecommendations, effectiveRecommendations, type RecommendedFile } from './recommended-models'

export interface OnboardingCapability extends Capability<'onboarding'> {
  /** Follows the model servers and the supervisor, and pushes onboarding.changed when the diagnosis changes. */
  begin(): void
}

type Role = 'chat' | 'embedding'
const ROLES: readonly Role[] = ['chat', 'embedding']
const EMIT_EVERY_MS = 100

/**
 * The setup panel's core. It reads the app as the panel does (models.list,
 * supervisor.list through the contract) and fixes what it can through the
 * same calls a person would make: supervisor.start, models.pull. Only the
 * embedded engine's downloads are its own.
 */
export function createOnboardingCapability(deps: {
  /** A client with write scope: the fixes are the calls a person would make. */
  client: KosClient
  config: ConfigService
  events: EventBus
  log: Logger
  /** The embedded engine's models folder. */
  modelsDir: string
  recommendations?: RecommendedFile
  download?: (request: GgufDownloadRequest) => Promise<DownloadOutcome>
}): OnboardingCapability {
  const { client, config, events, log } = deps
  const file = deps.recommendations ?? bundledRecommendations()
  const download = deps.download ?? downloadGguf
  const downloads = new Map<Role, EmbeddedDownload>()
  const controllers = new Set<AbortController>()
  let last = ''
  let lastEmit = 0
  let pending: Promise<void> | null = null
  let again = false
  let unsubscribe: (() => void) | null = null
  let ollamaState: ProcessStatus['state'] | null = null

  async function facts(): Promise<OnboardingFacts> {
    const [models, processes] = await Promise.all([client.call('models.list', {}), client.call('supervisor.list', {})])
    const nodes = models.ok ? models.value.nodes : []
    const ollama: ProcessStatus | undefined = processes.ok ? processes.value.find((p) => p.id === 'ollama') : undefined
    return {
      nodes: nodes.flatMap((n) => factOf(n)),
      ollamaProcess: ollama
        ? { installed: ollama.installed, state: ollama.state, warning: ollama.warning, command: ollama.command }
        : null,
      ollamaUrl: config.get('ollama.apiUrl'),
      embeddingModel:
        (models.ok ? models.value.preferences.find((p) => p.category === 'embedding')?.model : undefined) ??
        DEFAULT_EMBEDDING_MODEL,
      recommended: effectiveRecommendations(file, config).models,
      embeddedEnabled: config.get('embedded.enabled'),
      postponed: config.get('onboarding.postponed'),
      downloads: ROLES.flatMap((r) => downloads.get(r) ?? [])
    }
  }

  const status = async (): Promise<OnboardingStatus> => diagnose(await facts())

  /** Diagnoses again and pushes the result when it changed; calls made meanwhile fold into one more pass. */
  function refresh(): Promise<void> {
    if (pending) {
      again = true
      return pending
    }
    pending = (async () => {
      do {
        again = false
        const next = await status()
        const text = JSON.stringify(next)
        if (text !== last) {
          last = text
          lastEmit = Date.now()
          events.emit('onboarding.changed', next)
        }
      } while (again)
    })().finally(() => (pending = null))
    return pending
  }

  function progress(role: Role, patch: Partial<EmbeddedDownload>, force = false): void {
    const current = downloads.get(role)
    if (!current) return
    downloads.set(role, { ...current, ...patch })
    if (force || Date.now() - lastEmit >= EMIT_EVERY_MS) void refresh()
  }

  async function fetchModel(role: Role): Promise<void> {
    const entry = effectiveRecommendations(file, config).ggufs[role]
    const controller = new AbortController()
    controllers.add(controller)
    downloads.set(role, {
      role,
      model: entry.model,
      url: entry.url,
      state: 'downloading',
      downloadedBytes: 0,
      totalBytes: entry.sizeBytes,
      error: null
    })
    void refresh()
    log.info('embedded model download started', { role, model: entry.model, url: entry.url })
    const outcome = await download({
      url: entry.url,
      modelsDir: deps.modelsDir,
      fileName: `${entry.model}.gguf`,
      sha256: entry.sha256,
      signal: controller.signal,
      onProgress: (p) =>
        progress(
          role,
          { state: p.phase, downloadedBytes: p.downloadedBytes, totalBytes: p.totalBytes },
          p.phase === 'verifying'
        )
    }).catch((error: unknown): DownloadOutcome => ({
      ok: false,
      reason: 'failed',
      message: `Downloading ${entry.model} failed: ${error instanceof Error ? error.message : String(error)}`
    }))
    controllers.delete(controller)
    if (!outcome.ok) {
      log.warn('embedded model download failed', {
        role,
        model: entry.model,
        reason: outcome.reason,
        error: outcome.message
      })
      progress(role, { state: 'failed', error: outcome.message }, true)
      return
    }
    log.info('embedded model downloaded and verified', {
      role,
      model: entry.model,
      bytes: outcome.bytes,
      sha256: outcome.sha256
    })
    progress(role, { state: 'done', downloadedBytes: outcome.bytes, totalBytes: outcome.bytes }, true)
    // The engine lists every GGUF in its folder: turning it on (or scanning it again) offers the new file.
    const enabled = await client.call('config.set', { key: 'embedded.enabled', value: true })
    if (!enabled.ok) {
      // The settings file could not be written (a full or read-only disk): the file is there, the switch is not.
      log.warn('the built-in engine could not be turned on', { error: enabled.error.message })
      progress(
        role,
        {
          state: 'failed',
          error: `Downloaded, but the built-in engine could not be turned on: ${enabled.error.message}`
        },
        true
      )
      return
    }
    await client.call('models.scan', {})
    await refresh()
  }

  return {
    begin() {
      unsubscribe = events.subscribe((frame) => {
        if (frame.name === 'models.changed' || frame.name === 'config.changed') void refresh()
        if (frame.name === 'supervisor.changed') {
          // Ollama just came up under the supervisor: look at it now rather than at the next scan.
          const state = (frame.payload as ProcessStatus[]).find((p) => p.id === 'ollama')?.state ?? null
          if (state === 'running' && ollamaState !== 'running') void client.call('models.scan', {})
          ollamaState = state
          void refresh()
        }
      })
      void refresh()
    },
    handlers: {
      'onboarding.status': () => status(),
      'onboarding.startOllama': async (_input, ctx) => {
        if (config.get('supervisor.ollama') !== 'manage') {
          const source = config.snapshot().settings.find((s) => s.key === 'supervisor.ollama')?.source
          if (source && outranksUserFile(source))
            return refuse(
              'conflict',
              `The app may not start Ollama: supervisor.ollama is "${config.get('supervisor.ollama')}", set by the ${describeSource(source)}. Remove it (or set it to manage), then try again.`
            )
          // Through the contract, as the built-in engine's switch is: a refused settings file is a typed refusal.
          const stored = await client.call('config.set', { key: 'supervisor.ollama', value: 'manage' })
          if (!stored.ok) return refuse(stored.error.code, stored.error.message)
          ctx.log.info('supervisor mode for Ollama set to manage by setup')
        }
        const started = await client.call('supervisor.start', { id: 'ollama' })
        if (!started.ok) return refuse(started.error.code, started.error.message)
        if (started.value.state === 'not_installed')
          return refuse(
            'unavailable',
            `${started.value.reason ?? 'Ollama is not installed.'} Install Ollama from ollama.com, or use the built-in engine.`
          )
        await client.call('models.scan', {})
        return status()
      },
      'onboarding.pullModels': async ({ node }, ctx): Promise<PullProgress[] | Refusal> => {
        const now = await status()
        const target = node ?? now.pullNode
        if (!target)
          return refuse(
            'unavailable',
            'No Ollama server answers, so there is nowhere to pull models. Start Ollama (or add a computer that runs it) first.'
          )
        const wanted = [
          ...(now.problems.some((p) => p.kind === 'no_chat_model') ? [now.recommended.ollama.chat] : []),
          ...(now.problems.some((p) => p.kind === 'no_embedding_model') ? [now.recommended.ollama.embedding] : [])
        ]
        if (wanted.length === 0)
          return refuse('conflict', 'Nothing is missing: a chat model and the embedding model are already there.')
        const started: PullProgress[] = []
        for (const model of wanted) {
          const result = await client.call('models.pull', { node: target, model })
          if (!result.ok) return refuse(result.error.code, result.error.message)
          started.push(result.value)
        }
        ctx.log.info('setup pulls started', { node: target, models: wanted })
        return started
      },
      'onboarding.downloadEmbedded': async (_input, ctx) => {
        const now = await status()
        const embeddedModels = now.nodes.find((n) => n.kind === 'embedded')
        const have = new Set([...(embeddedModels?.chatModels ?? []), ...(embeddedModels?.embeddingModels ?? [])])
        const missing = ROLES.filter((role) => {
          const d = downloads.get(role)
          const model = now.recommended.embedded[role].model
          return !have.has(model) && d?.state !== 'downloading' && d?.state !== 'verifying'
        })
        if (missing.length === 0 && !ROLES.some((r) => downloads.get(r)?.state === 'downloading'))
          return refuse('conflict', 'The built-in engine already has its chat and embedding models.')
        ctx.log.info('setup downloads started', { models: missing, into: deps.modelsDir })
        for (const role of missing) void fetchModel(role)
        return status()
      }
    },
    stop() {
      unsubscribe?.()
      unsubscribe = null
      for (const c of controllers) c.abort()
      controllers.clear()
    }
  }
}

/** A node as setup sees it: this Mac's Ollama always counts (it is what a new owner has); other settings nodes nobody set up do not. */
function factOf(n: NodeView): OnboardingFacts['nodes'][number][] {
  if (n.state === 'not_configured' && n.id !== 'ollama-local') return []
  return [
    {
      id: n.id,
      label: n.label,
      url: n.url,
      kind: n.kind,
      state: n.state === 'not_configured' ? 'down' : n.state,
      models: n.models.map((m) => m.name),
      error: n.error
    }
  ]
}
