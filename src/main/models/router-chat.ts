import type { ConfigService } from '../config/config-service'
import type { Candidate } from './candidates'
import type { CircuitBoard, OpenCircuit } from './circuit-board'
import { linkAbort, type AbortLink } from './abort-link'
import { couldStillBeEcho, isEcho } from './echo'
import { failureLabel } from './failure-blame'
import type { ModelStats } from './model-stats'
import type { NodeRegistry } from './node-registry'
import { promptFingerprint } from './prompt-fingerprint'
import type { JsonSchemaRequest, PromptMessage, TokenUsage } from './provider'
import { ProviderError, toProviderError } from './provider-error'
import { timeoutMs, type RequestKind } from './request-kinds'
import { RouteError, describeAttempts, type AttemptFailure, type AttemptFailureKind } from './route-error'

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

export type Choice = Pick<ChatOptions, 'category' | 'model' | 'node'>

export interface ChatDeps {
  readonly registry: NodeRegistry
  readonly stats: ModelStats
  readonly config: Pick<ConfigService, 'get'>
  readonly circuits: CircuitBoard
  readonly now: () => number
  candidates(options: Choice): Candidate[]
  blockedBy(options: Choice): OpenCircuit[]
}

const FINISH_BEFORE_WORKER_MS = 1_000

/**
 * The router's chat: the answer's tokens as they arrive, falling back to the next candidate on an
 * error, a timeout before the first token, or an echo, as long as nothing was handed out yet.
 * One generator, setup and attempts alike: every token, the first included, passes no generator
 * of the router's but this one on its way out.
 */
export function createChat(
  deps: ChatDeps
): (messages: readonly PromptMessage[], options?: ChatOptions) => AsyncGenerator<string> {
  const { registry, stats, config, circuits, now } = deps

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

  return async function* chat(messages, options = {}) {
    // Routes on the cached scan; waits only for nodes never scanned. Stale nodes are refreshed once the
    // first token is out: a scan started before the request went out would queue ahead of it on the same server.
    if (registry.nodes().some((n) => registry.status(n.id).state === 'unknown')) await registry.refreshStale()
    let refreshed = false
    const firstTokenOut = (): void => {
      if (refreshed) return
      refreshed = true
      void registry.refreshStale()
    }
    const limitMs = timeoutMs(options.kind ?? 'chat', config)
    // The task worker stops a run at the same llm.requestTimeoutSec, counted from its claim: ending a
    // little earlier lets the router's own verdict (a timeout, and whose fault it is) reach the engine first.
    const budget = Math.max(limitMs / 2, limitMs - FINISH_BEFORE_WORKER_MS)
    // Set once the request's time is up; the deadline aborts the attempt in flight (its link) itself,
    // so a request needs no abort controller of its own besides its attempts'.
    const deadline: { aborted: boolean; attempt: AbortLink | null } = { aborted: false, attempt: null }
    const deadlineTimer = setTimeout(() => {
      deadline.aborted = true
      deadline.attempt?.abort(new DOMException('The request ran out of time.', 'TimeoutError'))
    }, budget)
    // Like AbortSignal.timeout: the deadline alone does not keep the process alive.
    deadlineTimer.unref()
    try {
      let list = deps.candidates(options)
      if (list.length === 0 && deps.blockedBy(options).length === 0) {
        // Nothing was up at the last scan; a server may have come back since (after sleep, a restart). Look again now.
        await registry.scan()
        list = deps.candidates(options)
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
        // The caller's signal is followed once the request is written (below).
        const attemptLink = linkAbort([])
        deadline.attempt = attemptLink
        const attemptSignal = attemptLink.signal
        let timer: ReturnType<typeof setTimeout> | undefined
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
          const started = now()
          const end = provider ? stats.begin(c.node) : null
          let ttftMs = -1
          let tokens = 0
          let sent: Sent<string> | null = null
          let reading = false
          let settled = false
          try {
            // The provider's stream is read here, not through a generator of its own: every token would
            // otherwise pass one more async-generator hop on its way out.
            sent = provider
              ? send(() =>
                  provider.chat({
                    model: c.model,
                    messages,
                    signal: attemptSignal,
                    keepAlive: `${config.get('models.keepAliveMin')}m`,
                    onUsage: (u) => (usage = u),
                    ...(options.jsonSchema ? { jsonSchema: options.jsonSchema } : {})
                  })
                )
              : null
            progress?.(`asking ${c.model} on ${c.node}`)
            // What the request need not wait for is done once it is written: node:http writes it in a
            // tick it queued as the provider was called (fetch in a microtask, which runs before ticks),
            // so a tick queued after it runs then, and still before any event (the caller's abort, a
            // timeout, the answer) can reach this attempt.
            process.nextTick(() => {
              if (settled) return
              attemptLink.follow(options.signal)
              timer = setTimeout(
                () =>
                  attemptLink.abort(
                    new ProviderError('timeout', `no first token within ${Math.round(firstTokenWindow / 100) / 10} s`)
                  ),
                firstTokenWindow
              )
            })
            if (!sent) throw new ProviderError('connection', `the node ${c.node} is no longer configured`)
            if ('error' in sent) throw sent.error
            reading = true
            for await (const token of sent.parts) {
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
            // A node no longer configured was never asked: nothing is counted against it.
            if (e.kind !== 'aborted' && provider) stats.recordFailure(c.node, e.kind === 'oom')
            throw e
          } finally {
            settled = true
            end?.()
            // A listener threw before the stream was read: its request is not left running.
            if (!reading && sent && 'parts' in sent) attemptLink.abort(new ProviderError('aborted', 'not read'))
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
        const open = deps.blockedBy(options)
        if (open.length > 0)
          throw new RouteError([], `Waiting: circuit open for ${open.map((o) => o.reason).join('; ')}.`)
        throw new RouteError(
          [],
          'No model is available: no node is reachable, or none has a chat model. Start Ollama or an MLX server, or add a node in the Models view.'
        )
      }
      throw new RouteError(failures, `No candidate gave an answer: ${describeAttempts(failures)}`)
    } finally {
      clearTimeout(deadlineTimer)
      firstTokenOut()
    }
  }
}

/**
 * Starts a provider's stream: its first part is asked for at once (over a kept-alive connection
 * the request is written before that call returns), and the stream is read with for-await as it
 * would be itself (its return() called when the reading stops early). A provider that throws
 * instead of returning a stream has its error kept, for the reading to throw.
 */
type Sent<T> = { readonly parts: AsyncIterable<T> } | { readonly error: unknown }

function send<T>(chat: () => AsyncIterable<T>): Sent<T> {
  try {
    const iterator = chat()[Symbol.asyncIterator]()
    let first: Promise<IteratorResult<T>> | null = iterator.next()
    // Read, it rejects for the reader as ever; left unread (see the caller), it is no unhandled rejection.
    first.catch(() => undefined)
    const started: AsyncIterator<T> = {
      next() {
        const pending = first ?? iterator.next()
        first = null
        return pending
      },
      ...(iterator.return ? { return: iterator.return.bind(iterator) } : {})
    }
    return { parts: { [Symbol.asyncIterator]: () => started } }
  } catch (error) {
    return { error }
  }
}

/** The last user message's text: what an echo would repeat and a failure's fingerprint is taken of. */
function lastUserContent(messages: readonly PromptMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === 'user') return messages[i]?.content ?? ''
  return ''
}
