import type { ConfigService } from '../config/config-service'
import type { TaskProcessor } from '../ports/task-processor'
import { rankCandidates, type Candidate } from './candidates'
import { createCircuitBoard, type CircuitBoard, type OpenCircuit } from './circuit-board'
import { probeGeneration } from './circuit-probe'
import { linkAbort, type AbortLink } from './abort-link'
import { couldStillBeEcho, isEcho } from './echo'
import { promptFingerprint } from './prompt-fingerprint'
import { failureLabel } from './failure-blame'
import type { ModelSpeed, ModelStats } from './model-stats'
import type { NodeRegistry } from './node-registry'
import type { JsonSchemaRequest, PromptMessage, TokenUsage } from './provider'
import { ProviderError, toProviderError } from './provider-error'
import { timeoutMs, type RequestKind } from './request-kinds'
import { RouteError, describeAttempts, type AttemptFailure, type AttemptFailureKind } from './route-error'
import { routerTaskProcessor, type TaskModelCall, type TaskModelFailure } from './router-task-processor'

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
  /** The answering backend's own token counts, where it reports them. */
  readonly onUsage?: (usage: TokenUsage) => void
  /** Told of each attempt that gave no answer after it spent tokens (cut, failed, echoed, cancelled): they are paid for too. */
  readonly onSpentInFailure?: (spent: SpentInFailure) => void
  /** Structured output, enforced by whichever backend answers. */
  readonly jsonSchema?: JsonSchemaRequest
}

/** What an attempt that failed had spent: its backend's counts where it sent them before failing, and the text it streamed. */
export interface SpentInFailure {
  readonly node: string
  readonly model: string
  readonly kind: AttemptFailureKind
  readonly usage: TokenUsage | null
  readonly text: string
}

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

/** One request's limits, shared by its attempts. */
interface Run {
  /**
   * Set once the request's time is up; the deadline aborts the attempt in flight (its link) itself,
   * so a request needs no abort controller of its own besides its attempts'.
   */
  readonly deadline: { aborted: boolean; attempt: AbortLink | null }
  /** llm.requestTimeoutSec (or the generate kind's), as the error names it. */
  readonly limitMs: number
  /** What the attempts may spend together, a little under limitMs. */
  readonly budget: number
  /** Called once the first token has been handed out. */
  readonly firstTokenOut: () => void
}

// While tasks wait on a node that is down, it is looked at again this often, so a server back from a crash is used within seconds.
const DOWN_RESCAN_MS = 1_000
const FINISH_BEFORE_WORKER_MS = 1_000

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

  /** A streamed request's figures, once its stream ended without an error. */
  function recordStream(c: Candidate, started: number, ttftMs: number, tokens: number): void {
    const total = now() - started
    stats.recordSuccess(c.node, c.model, {
      ttftMs: Math.max(ttftMs, 0),
      tokens,
      streamMs: total - Math.max(ttftMs, 0),
      totalMs: total
    })
  }

  async function* chat(messages: readonly PromptMessage[], options: ChatOptions = {}): AsyncGenerator<string> {
    // Routes on the cached scan; waits only for nodes never scanned. Stale nodes are refreshed once the
    // first token is out: a scan started before the request went out would queue ahead of it on the same server.
    if (registry.nodes().some((n) => registry.status(n.id).state === 'unknown')) await registry.refreshStale()
    let refreshed = false
    const refreshStale = (): void => {
      if (refreshed) return
      refreshed = true
      void registry.refreshStale()
    }
    const limitMs = timeoutMs(options.kind ?? 'chat', config)
    // The task worker stops a run at the same llm.requestTimeoutSec, counted from its claim: ending a
    // little earlier lets the router's own verdict (a timeout, and whose fault it is) reach the engine first.
    const budget = Math.max(limitMs / 2, limitMs - FINISH_BEFORE_WORKER_MS)
    const deadline: Run['deadline'] = { aborted: false, attempt: null }
    const deadlineTimer = setTimeout(() => {
      deadline.aborted = true
      deadline.attempt?.abort(new DOMException('The request ran out of time.', 'TimeoutError'))
    }, budget)
    // Like AbortSignal.timeout: the deadline alone does not keep the process alive.
    deadlineTimer.unref()
    try {
      yield* route(messages, options, {
        deadline,
        limitMs,
        budget,
        firstTokenOut: refreshStale
      })
    } finally {
      clearTimeout(deadlineTimer)
      refreshStale()
    }
  }

  async function* route(messages: readonly PromptMessage[], options: ChatOptions, run: Run): AsyncGenerator<string> {
    const { deadline, limitMs, budget, firstTokenOut } = run
    let list = candidates(options)
    if (list.length === 0 && blockedBy(options).length === 0) {
      // Nothing was up at the last scan; a server may have come back since (after sleep, a restart). Look again now.
      await registry.scan()
      list = candidates(options)
    }
    const first = options.first
    if (first && circuits.allows(first.node, first.model) && registry.status(first.node).state === 'up') {
      list = [first, ...list.filter((c) => c.node !== first.node || c.model !== first.model)]
    }
    const limit = Math.min(list.length, 1 + config.get('models.maxFallbacks'))
    const prompt = lastUserContent(messages)
    const failures: AttemptFailure[] = []
    const startedAt = now()
    // Optional calls below: without a listener, no progress line is even formatted.
    const progress = options.onProgress
    /** Nodes that refused or reset the connection during this request: none of their other models is tried. */
    const refused = new Set<string>()
    let tried = 0

    const failed = (c: Candidate, kind: AttemptFailureKind, message: string, error?: ProviderError): void => {
      const asked = promptFingerprint(prompt)
      const alone = circuits.failsAlone(c.node, c.model, asked)
      failures.push({ node: c.node, model: c.model, kind, message, ...(alone ? { failsAlone: true as const } : {}) })
      circuits.record(c.node, c.model, { ok: false, kind, failure: failureLabel(kind, error), prompt: asked })
    }

    for (let i = 0; i < list.length && tried < limit; i++) {
      const c = list[i] as Candidate
      if (options.signal?.aborted || deadline.aborted) break
      if (refused.has(c.node)) continue
      // A hung node must leave time for the others: until its first token,
      // an attempt may use only its share of what is left of the budget.
      const firstTokenWindow = Math.max(1, (budget - (now() - startedAt)) / (limit - tried))
      tried++
      const attemptLink = linkAbort([options.signal])
      deadline.attempt = attemptLink
      const attemptSignal = attemptLink.signal
      const timer = setTimeout(
        () =>
          attemptLink.abort(
            new ProviderError('timeout', `no first token within ${Math.round(firstTokenWindow / 100) / 10} s`)
          ),
        firstTokenWindow
      )
      progress?.(`asking ${c.model} on ${c.node}`)
      let text = ''
      let emitted = false
      // This attempt's own counts: told as the answer's only if it answers, else as spent in its failure.
      let usage: TokenUsage | null = null
      const spentIn = (kind: AttemptFailureKind): void => {
        if (usage !== null || text !== '')
          options.onSpentInFailure?.({ node: c.node, model: c.model, kind, usage, text })
      }
      try {
        const provider = registry.provider(c.node)
        if (!provider) throw new ProviderError('connection', `the node ${c.node} is no longer configured`)
        // The provider's stream is read here, not through a generator of its own: every token, the first
        // included, would otherwise pass one more async-generator hop on its way out.
        const started = now()
        let ttftMs = -1
        let tokens = 0
        const end = stats.begin(c.node)
        try {
          for await (const token of provider.chat({
            model: c.model,
            messages,
            signal: attemptSignal,
            keepAlive: `${config.get('models.keepAliveMin')}m`,
            onUsage: (u) => (usage = u),
            ...(options.jsonSchema ? { jsonSchema: options.jsonSchema } : {})
          })) {
            if (ttftMs < 0) ttftMs = now() - started
            tokens++
            if (!emitted) {
              clearTimeout(timer)
              text += token
              if (couldStillBeEcho(prompt, text)) continue
              emitted = true
              options.onAnswering?.(c)
              progress?.(`first token after ${((now() - startedAt) / 1000).toFixed(1)} s`)
              yield text
              firstTokenOut()
            } else {
              text += token
              yield token
            }
          }
          recordStream(c, started, ttftMs, tokens)
        } catch (error) {
          const e = toProviderError(error, attemptSignal, c.node)
          if (e.kind !== 'aborted') stats.recordFailure(c.node, e.kind === 'oom')
          throw e
        } finally {
          end()
        }
        if (isEcho(prompt, text)) {
          failed(c, 'echo', 'the answer repeated the prompt')
          spentIn('echo')
          stats.recordFailure(c.node, false)
          if (emitted) break
          progress?.(`${c.model} on ${c.node} echoed the prompt; trying the next candidate`)
          continue
        }
        if (text.trim() === '') {
          failed(c, 'empty', 'the answer was empty')
          spentIn('empty')
          progress?.(`${c.model} on ${c.node} answered nothing; trying the next candidate`)
          continue
        }
        circuits.record(c.node, c.model, { ok: true })
        if (usage !== null) options.onUsage?.(usage)
        if (!emitted) {
          options.onAnswering?.(c)
          yield text
        }
        return
      } catch (error) {
        const e = error instanceof ProviderError ? error : toProviderError(error, attemptSignal, c.node)
        if (options.signal?.aborted && !deadline.aborted) {
          failures.push({ node: c.node, model: c.model, kind: 'aborted', message: e.message })
          spentIn('aborted')
          break
        }
        const kind = deadline.aborted ? 'timeout' : e.kind
        const message = deadline.aborted
          ? `no complete answer within ${limitMs / 1000} s (llm.requestTimeoutSec)`
          : e.message
        failed(c, kind, message, e)
        spentIn(kind)
        if (kind === 'oom') stats.noteOom(c.node)
        if (kind === 'connection') {
          // Down now, not at the next scan: nothing else is planned on it, and this request moves to another node.
          registry.markDown(c.node, e.message)
          refused.add(c.node)
        }
        if (emitted) break
        progress?.(`${c.model} on ${c.node} failed (${message}); trying the next candidate`)
      } finally {
        clearTimeout(timer)
        attemptLink.release()
        deadline.attempt = null
      }
    }
    if (options.signal?.aborted) throw new RouteError(failures, 'The request was cancelled.')
    if (tried === 0) {
      const open = blockedBy(options)
      if (open.length > 0)
        throw new RouteError([], `Waiting: circuit open for ${open.map((o) => o.reason).join('; ')}.`)
      throw new RouteError(
        [],
        'No model is available: no node is reachable, or none has a chat model. Start Ollama or an MLX server, or add a node in the Models view.'
      )
    }
    throw new RouteError(failures, `No candidate gave an answer: ${describeAttempts(failures)}`)
  }

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

/** The last user message's text: what an echo would repeat and a failure's fingerprint is taken of. */
function lastUserContent(messages: readonly PromptMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === 'user') return messages[i]?.content ?? ''
  return ''
}
