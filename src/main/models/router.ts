import type { ConfigService } from '../config/config-service'
import type { BackendLoad, ProcessingContext, ProcessingPlan, TaskForProcessing, TaskProcessor } from '../ports/task-processor'
import { ProcessingError } from '../ports/task-processor'
import { rankCandidates, type Candidate } from './candidates'
import { couldStillBeEcho, isEcho } from './echo'
import type { ModelSpeed, ModelStats } from './model-stats'
import type { NodeRegistry } from './node-registry'
import type { PromptMessage } from './provider'
import { ProviderError, toProviderError } from './provider-error'
import { timeoutMs, type RequestKind } from './request-kinds'
import { RouteError, describeAttempts, type AttemptFailure } from './route-error'

export interface ChatOptions {
  readonly signal?: AbortSignal
  /** The task category or chat purpose ("coding", "general", …) whose preferred model is tried first. */
  readonly category?: string
  readonly model?: string | null
  readonly node?: string | null
  readonly kind?: Extract<RequestKind, 'chat' | 'generate'>
  /** Where the request starts; the other candidates follow it. */
  readonly first?: Candidate
  /** A line per attempt, fallback and first token, for a task's event log. */
  readonly onProgress?: (message: string) => void
  /** Which candidate is answering, once its first token is handed out. */
  readonly onAnswering?: (candidate: Candidate) => void
}

export interface Router extends TaskProcessor {
  candidates(options: Pick<ChatOptions, 'category' | 'model' | 'node'>): Candidate[]
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
}

export interface RouterDeps {
  readonly registry: NodeRegistry
  readonly stats: ModelStats
  readonly config: Pick<ConfigService, 'get'>
  readonly preferences: () => ReadonlyMap<string, string>
  readonly now?: () => number
}

export function createRouter(deps: RouterDeps): Router {
  const { registry, stats, config } = deps
  const now = deps.now ?? (() => performance.now())

  function candidates(options: Pick<ChatOptions, 'category' | 'model' | 'node'>): Candidate[] {
    const prefs = deps.preferences()
    const models = [options.model, options.category ? prefs.get(options.category) : undefined, prefs.get('general')].filter(
      (m): m is string => typeof m === 'string' && m.length > 0
    )
    const views = registry.nodes().map((node) => ({ node, status: registry.status(node.id) }))
    return rankCandidates(views, stats.load(views.map((v) => v.node.id)), { models, node: options.node ?? null, anyModel: true }, config.get('models.heavyModelGb'))
  }

  async function* attempt(c: Candidate, messages: readonly PromptMessage[], signal: AbortSignal): AsyncGenerator<string, { ttftMs: number; tokens: number }> {
    const provider = registry.provider(c.node)
    if (!provider) throw new ProviderError('connection', `the node ${c.node} is no longer configured`)
    const started = now()
    let ttftMs = -1
    let tokens = 0
    const end = stats.begin(c.node)
    try {
      for await (const token of provider.chat({ model: c.model, messages, signal, keepAlive: `${config.get('models.keepAliveMin')}m` })) {
        if (ttftMs < 0) ttftMs = now() - started
        tokens++
        yield token
      }
      const total = now() - started
      stats.recordSuccess(c.node, c.model, { ttftMs: Math.max(ttftMs, 0), tokens, streamMs: total - Math.max(ttftMs, 0), totalMs: total })
      return { ttftMs, tokens }
    } catch (error) {
      const e = toProviderError(error, signal, c.node)
      if (e.kind !== 'aborted') stats.recordFailure(c.node, e.kind === 'oom')
      throw e
    } finally {
      end()
    }
  }

  /** Routes on the cached scan and refreshes stale nodes in the background; waits only for nodes never scanned. */
  async function freshEnough(): Promise<void> {
    if (registry.nodes().some((n) => registry.status(n.id).state === 'unknown')) await registry.refreshStale()
    else void registry.refreshStale()
  }

  async function* chat(messages: readonly PromptMessage[], options: ChatOptions = {}): AsyncGenerator<string> {
    await freshEnough()
    const budget = timeoutMs(options.kind ?? 'chat', config)
    const deadline = AbortSignal.timeout(budget)
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline
    let ranked = candidates(options)
    if (ranked.length === 0) {
      // Nothing was up at the last scan; a server may have come back since (after sleep, a restart). Look again now.
      await registry.scan()
      ranked = candidates(options)
    }
    const first = options.first
    const list = (first ? [first, ...ranked.filter((c) => c.node !== first.node || c.model !== first.model)] : ranked).slice(0, 1 + config.get('models.maxFallbacks'))
    const prompt = [...messages].reverse().find((m) => m.role === 'user')?.content ?? ''
    const failures: AttemptFailure[] = []
    const startedAt = now()
    const progress = options.onProgress ?? (() => undefined)

    for (let i = 0; i < list.length; i++) {
      const c = list[i] as Candidate
      if (signal.aborted) break
      // A hung node must leave time for the others: until its first token,
      // an attempt may use only its share of what is left of the budget.
      const firstTokenWindow = Math.max(1, (budget - (now() - startedAt)) / (list.length - i))
      const firstToken = new AbortController()
      const timer = setTimeout(() => firstToken.abort(new ProviderError('timeout', `no first token within ${Math.round(firstTokenWindow / 100) / 10} s`)), firstTokenWindow)
      const attemptSignal = AbortSignal.any([signal, firstToken.signal])
      progress(`asking ${c.model} on ${c.node}`)
      let text = ''
      let emitted = false
      try {
        for await (const token of attempt(c, messages, attemptSignal)) {
          if (!emitted) {
            clearTimeout(timer)
            text += token
            if (couldStillBeEcho(prompt, text)) continue
            emitted = true
            options.onAnswering?.(c)
            progress(`first token after ${((now() - startedAt) / 1000).toFixed(1)} s`)
            yield text
          } else {
            text += token
            yield token
          }
        }
        clearTimeout(timer)
        if (isEcho(prompt, text)) {
          failures.push({ node: c.node, model: c.model, kind: 'echo', message: 'the answer repeated the prompt' })
          stats.recordFailure(c.node, false)
          if (emitted) break
          progress(`${c.model} on ${c.node} echoed the prompt; trying the next candidate`)
          continue
        }
        if (text.trim() === '') {
          failures.push({ node: c.node, model: c.model, kind: 'empty', message: 'the answer was empty' })
          progress(`${c.model} on ${c.node} answered nothing; trying the next candidate`)
          continue
        }
        if (!emitted) {
          options.onAnswering?.(c)
          yield text
        }
        return
      } catch (error) {
        clearTimeout(timer)
        const e = error instanceof ProviderError ? error : toProviderError(error, attemptSignal, c.node)
        const kind = deadline.aborted ? 'timeout' : e.kind
        const message = deadline.aborted ? `no complete answer within ${budget / 1000} s (llm.requestTimeoutSec)` : e.message
        failures.push({ node: c.node, model: c.model, kind, message })
        if (kind === 'oom') stats.noteOom(c.node)
        if (emitted || options.signal?.aborted) break
        if (kind === 'connection') void registry.scan([c.node])
        progress(`${c.model} on ${c.node} failed (${message}); trying the next candidate`)
      }
    }
    if (options.signal?.aborted) throw new RouteError(failures, 'The request was cancelled.')
    if (list.length === 0) {
      throw new RouteError([], 'No model is available: no node is reachable, or none has a chat model. Start Ollama or an MLX server, or add a node in the Models view.')
    }
    throw new RouteError(failures, `No candidate gave an answer: ${describeAttempts(failures)}`)
  }

  const categoryOf = (task: TaskForProcessing): string => task.domain ?? 'general'

  return {
    candidates,
    chat,
    noteOom: (node) => stats.noteOom(node),
    speeds: () => stats.speeds(),
    plan(task): ProcessingPlan {
      const [best] = candidates({ category: categoryOf(task), model: task.preferredModel, node: task.preferredBackend })
      if (best) return { backend: best.node, model: best.model, heavy: best.heavy }
      // No node is up with a model for it: the task is not claimed, so an outage
      // (a server dead after sleep) does not burn its attempts into manual review.
      throw new ProcessingError('connection_error', 'No model server that could run this task is up.')
    },
    async ensureReady(plan, ctx) {
      const provider = registry.provider(plan.backend)
      if (!provider) throw new ProcessingError('connection_error', `The node "${plan.backend}" is not configured. Add it in the Models view or pick another.`)
      await registry.refreshStale()
      const status = registry.status(plan.backend)
      if (status.state === 'down') throw new ProcessingError('connection_error', `The node "${plan.backend}" is unreachable: ${status.error ?? 'no answer'}`)
      if (status.loaded === null || status.loaded.some((m) => m.name === plan.model) || !provider.preload) return
      const bufferMs = timeoutMs('load', config)
      const { signal } = ctx
      const loadSignal = AbortSignal.any([signal, AbortSignal.timeout(bufferMs)])
      try {
        await provider.preload(plan.model, `${config.get('models.keepAliveMin')}m`, loadSignal)
      } catch (error) {
        const e = toProviderError(error, loadSignal, plan.backend)
        if (signal.aborted) throw new ProcessingError('other', `Waiting for ${plan.model} to load was cancelled.`)
        if (e.kind === 'aborted' || e.kind === 'timeout') {
          throw new ProcessingError('timeout', `${plan.model} did not load on ${plan.backend} within ${bufferMs / 1000} s (models.loadBufferSec).`)
        }
        if (e.kind === 'oom' || e.kind === 'runner_crashed') {
          stats.noteOom(plan.backend)
          throw new ProcessingError('oom_or_metal', `${plan.model} could not be loaded on ${plan.backend}: ${e.message}`)
        }
        throw new ProcessingError(e.kind === 'connection' ? 'connection_error' : 'other', `${plan.model} could not be loaded on ${plan.backend}: ${e.message}`)
      }
      void registry.scan([plan.backend])
    },
    async process(task, plan, ctx: ProcessingContext) {
      const messages: PromptMessage[] = [
        ...(task.assigneeExpert ? [{ role: 'system' as const, content: `You are ${task.assigneeExpert}, an expert of the corporation. Do the task below.` }] : []),
        { role: 'user', content: task.description.trim() ? `${task.title}\n\n${task.description}` : task.title }
      ]
      let answer = ''
      try {
        for await (const token of chat(messages, {
          signal: ctx.signal,
          category: categoryOf(task),
          model: task.preferredModel,
          node: task.preferredBackend,
          kind: 'generate',
          first: { node: plan.backend, model: plan.model, heavy: plan.heavy },
          onProgress: (m) => ctx.progress(m)
        })) {
          answer += token
        }
      } catch (error) {
        if (error instanceof RouteError) throw error.toProcessingError()
        throw error
      }
      return answer
    },
    load(): readonly BackendLoad[] {
      return stats.load(registry.nodes().map((n) => n.id)).map((l) => ({
        backend: l.node,
        activeRequests: l.activeRequests,
        latencyMs: l.latencyMs,
        errorRate: l.errorRate,
        oomRecently: l.oomRecently
      }))
    }
  }
}
