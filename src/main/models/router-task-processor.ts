import type { ConfigService } from '../config/config-service'
import type {
  BackendLoad,
  ProcessingContext,
  ProcessingPlan,
  TaskForProcessing,
  TaskProcessor
} from '../ports/task-processor'
import { ProcessingError } from '../ports/task-processor'
import type { Candidate } from './candidates'
import type { CircuitBoard, OpenCircuit } from './circuit-board'
import { blameOf, failureLabel } from './failure-blame'
import type { ModelStats } from './model-stats'
import type { NodeRegistry } from './node-registry'
import { unreachable } from './node-unreachable'
import type { PromptMessage, TokenUsage } from './provider'
import { toProviderError } from './provider-error'
import { timeoutMs } from './request-kinds'
import { PROCESSING_TYPE, RouteError } from './route-error'
import type { ChatOptions } from './router'

export interface RouterParts {
  readonly registry: NodeRegistry
  readonly stats: ModelStats
  readonly config: Pick<ConfigService, 'get'>
  readonly circuits: CircuitBoard
  candidates(options: Pick<ChatOptions, 'category' | 'model' | 'node'>): Candidate[]
  blockedBy(options: Pick<ChatOptions, 'category' | 'model' | 'node'>): OpenCircuit[]
  chat(messages: readonly PromptMessage[], options?: ChatOptions): AsyncIterable<string>
  probeCircuits(): Promise<void>
  rescanDown(): Promise<void>
  /** Told of every answer a task got, and of every attempt that spent tokens without one, with the backend's counts where it reported them. */
  reportCall(call: TaskModelCall): void
  /** Told of every model request of a task that got no answer, for the trail. */
  reportFailure(failure: TaskModelFailure): void
}

/** A task's model request that got no answer: each attempt and why, and how long it took. */
export interface TaskModelFailure {
  readonly task: TaskForProcessing
  readonly error: RouteError
  readonly durationMs: number
}

/** One model answer to a task: what it cost, for the usage ledger. */
export interface TaskModelCall {
  readonly task: TaskForProcessing
  readonly node: string
  readonly model: string
  readonly messages: readonly PromptMessage[]
  readonly answer: string
  /** null when the backend reported no counts. */
  readonly usage: TokenUsage | null
  readonly durationMs: number
  /** Answered by another node or model than the plan's. */
  readonly fellBack: boolean
  /** The attempt gave no answer (cut, failed, echoed, cancelled) after spending these tokens: `answer` is what it streamed. */
  readonly failed: boolean
}

/**
 * The router as the task engine's TaskProcessor. A failure of the backend
 * (every request to it fails: circuit open, connection refused, a server
 * error with no sign of the model answering anyone) is thrown with blame
 * `backend`, so the engine defers the task without using an attempt.
 */
export function routerTaskProcessor(parts: RouterParts): TaskProcessor {
  const { registry, stats, config, circuits } = parts
  const categoryOf = (task: TaskForProcessing): string => task.domain ?? 'general'
  const wantOf = (task: TaskForProcessing) => ({
    category: categoryOf(task),
    model: task.preferredModel,
    node: task.preferredBackend
  })

  /** The circuit that holds the task back longest decides how long it waits; its reason is what the owner reads. */
  function circuitOpen(open: readonly OpenCircuit[]): ProcessingError {
    const soonest = Math.min(...open.map((o) => circuits.retryAfterMs(o.node, o.model)))
    const kind = open[0]?.kind ?? null
    return new ProcessingError(
      kind ? PROCESSING_TYPE[kind] : 'connection_error',
      `Waiting: circuit open for ${open.map((o) => o.reason).join('; ')}.`,
      {
        blame: 'backend',
        retryAfterMs: soonest
      }
    )
  }

  return {
    plan(task): ProcessingPlan {
      // The engine plans every second or so while tasks wait: that drives the probes and the rescans of down nodes.
      void parts.probeCircuits()
      const want = wantOf(task)
      const [best] = parts.candidates(want)
      if (best) return { backend: best.node, model: best.model, heavy: best.heavy }
      const open = parts.blockedBy(want)
      if (open.length > 0) throw circuitOpen(open)
      void parts.rescanDown()
      // No node is up with a model for it: the task is not claimed, so an outage
      // (a server dead after sleep) does not burn its attempts into manual review.
      throw new ProcessingError('connection_error', 'No model server that could run this task is up.', {
        blame: 'backend'
      })
    },
    async ensureReady(plan, ctx) {
      const provider = registry.provider(plan.backend)
      if (!provider)
        throw new ProcessingError(
          'connection_error',
          `The node "${plan.backend}" is not configured. Add it in the Models view or pick another.`,
          { blame: 'backend' }
        )
      await registry.refreshStale()
      const status = registry.status(plan.backend)
      if (status.state === 'down') {
        const node = registry.nodes().find((n) => n.id === plan.backend)
        const why = node
          ? unreachable(node.label, node.url, status.error)
          : `The node "${plan.backend}" is unreachable: ${status.error ?? 'no answer'}`
        throw new ProcessingError('connection_error', why, { blame: 'backend' })
      }
      if (status.loaded === null || status.loaded.some((m) => m.name === plan.model) || !provider.preload) return
      const bufferMs = timeoutMs('load', config)
      const { signal } = ctx
      const loadSignal = AbortSignal.any([signal, AbortSignal.timeout(bufferMs)])
      try {
        await provider.preload(plan.model, `${config.get('models.keepAliveMin')}m`, loadSignal)
      } catch (error) {
        const e = toProviderError(error, loadSignal, plan.backend)
        if (signal.aborted) throw new ProcessingError('other', `Waiting for ${plan.model} to load was cancelled.`)
        // A model that cannot be loaded is never the task's fault: it waits, and the circuit tells the owner why.
        const kind = e.kind === 'aborted' ? 'timeout' : e.kind
        circuits.record(plan.backend, plan.model, {
          ok: false,
          kind,
          failure: kind === 'timeout' ? `no load within ${bufferMs / 1000} s` : failureLabel(kind, e)
        })
        if (kind === 'oom') stats.noteOom(plan.backend)
        if (kind === 'connection') registry.markDown(plan.backend, e.message)
        const message =
          kind === 'timeout'
            ? `${plan.model} did not load on ${plan.backend} within ${bufferMs / 1000} s (models.loadBufferSec).`
            : `${plan.model} could not be loaded on ${plan.backend}: ${e.message}`
        throw new ProcessingError(PROCESSING_TYPE[kind], message, {
          blame: 'backend',
          retryAfterMs: circuits.retryAfterMs(plan.backend, plan.model)
        })
      }
      void registry.scan([plan.backend])
    },
    async process(task, plan, ctx: ProcessingContext) {
      const messages: PromptMessage[] = [
        ...(task.assigneeExpert
          ? [
              {
                role: 'system' as const,
                content: `You are ${task.assigneeExpert}, an expert of the corporation. Do the task below.`
              }
            ]
          : []),
        { role: 'user', content: task.description.trim() ? `${task.title}\n\n${task.description}` : task.title }
      ]
      let answer = ''
      let answering: Candidate | null = null
      let usage: TokenUsage | null = null
      const started = performance.now()
      try {
        for await (const token of parts.chat(messages, {
          signal: ctx.signal,
          ...wantOf(task),
          kind: 'generate',
          first: { node: plan.backend, model: plan.model, heavy: plan.heavy },
          onProgress: (m) => ctx.progress(m),
          onAnswering: (c) => (answering = c),
          onUsage: (u) => (usage = u),
          onSpentInFailure: (spent) =>
            parts.reportCall({
              task,
              node: spent.node,
              model: spent.model,
              messages,
              answer: spent.text,
              usage: spent.usage,
              durationMs: performance.now() - started,
              fellBack: spent.node !== plan.backend || spent.model !== plan.model,
              failed: true
            })
        })) {
          answer += token
        }
        const by = answering as Candidate | null
        parts.reportCall({
          task,
          node: by?.node ?? plan.backend,
          model: by?.model ?? plan.model,
          messages,
          answer,
          usage,
          durationMs: performance.now() - started,
          fellBack: by !== null && (by.node !== plan.backend || by.model !== plan.model),
          failed: false
        })
      } catch (error) {
        if (!(error instanceof RouteError)) throw error
        parts.reportFailure({ task, error, durationMs: performance.now() - started })
        // Stopped by the engine itself (cancelled, shut down, its own deadline): nothing to say about the backend.
        if (ctx.signal.aborted) throw error.toProcessingError()
        if (error.attempts.length === 0) {
          const open = parts.blockedBy(wantOf(task))
          if (open.length > 0) throw circuitOpen(open)
          throw error.toProcessingError({ blame: 'backend' })
        }
        const blame = blameOf(error.attempts, circuits)
        if (blame === 'task') throw error.toProcessingError()
        const last = error.attempts.at(-1)
        const open = error.attempts.flatMap((a) => circuits.find(a.node, a.model) ?? [])
        const retryAfterMs = last ? circuits.retryAfterMs(last.node, last.model) : 0
        // Say why it waits: the circuit's reason when one opened, else what the backend did.
        const message =
          open.length > 0
            ? `Waiting: circuit open for ${open.map((o) => o.reason).join('; ')}. Last attempt: ${error.message}`
            : error.message
        throw new ProcessingError(error.processingType(), message, { blame: 'backend', retryAfterMs })
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
