import {
  ProcessingError,
  type BackendLoad,
  type ProcessingContext,
  type ProcessingPlan,
  type TaskForProcessing,
  type TaskProcessor
} from '../../ports/task-processor'

/** What a scripted processor does with one attempt of a task. */
export type Step =
  | { readonly kind: 'answer'; readonly text: string; readonly delayMs?: number }
  | { readonly kind: 'echo'; readonly delayMs?: number }
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'fail'
      readonly type: ProcessingError['type']
      readonly message: string
      readonly delayMs?: number
    }
  | { readonly kind: 'throw'; readonly message: string }
  /** Never settles and ignores its abort signal, like a wedged server. */
  | { readonly kind: 'hang' }

export interface ScriptedProcessor extends TaskProcessor {
  readonly calls: { readonly taskId: string; readonly plan: ProcessingPlan; readonly at: number }[]
  readonly ready: ProcessingPlan[]
  active: number
  maxActive: number
}

/**
 * A processor for tests: `script(task, attempt)` says what each attempt
 * does. Answers after a delay use real timers so heartbeats run meanwhile.
 */
export function scriptedProcessor(
  script: (task: TaskForProcessing, attempt: number) => Step,
  options: { plan?: (task: TaskForProcessing) => ProcessingPlan; load?: () => BackendLoad[]; readyMs?: number } = {}
): ScriptedProcessor {
  const attempts = new Map<string, number>()
  const processor: ScriptedProcessor = {
    calls: [],
    ready: [],
    active: 0,
    maxActive: 0,
    plan:
      options.plan ??
      ((task) => ({ backend: task.preferredBackend ?? 'test', model: task.preferredModel ?? 'echo', heavy: false })),
    async ensureReady(plan) {
      processor.ready.push(plan)
      if (options.readyMs) await sleep(options.readyMs)
    },
    async process(task: TaskForProcessing, plan: ProcessingPlan, ctx: ProcessingContext): Promise<string> {
      const attempt = (attempts.get(task.id) ?? 0) + 1
      attempts.set(task.id, attempt)
      processor.calls.push({ taskId: task.id, plan, at: Date.now() })
      processor.active++
      processor.maxActive = Math.max(processor.maxActive, processor.active)
      try {
        const step = script(task, attempt)
        if (step.kind !== 'hang' && 'delayMs' in step && step.delayMs) await sleep(step.delayMs)
        switch (step.kind) {
          case 'answer':
            ctx.progress('answered')
            return step.text
          case 'echo':
            return task.description
          case 'empty':
            return ''
          case 'fail':
            throw new ProcessingError(step.type, step.message)
          case 'throw':
            throw new Error(step.message)
          case 'hang':
            return await new Promise<string>(() => undefined)
        }
      } finally {
        processor.active--
      }
    },
    load: options.load ?? (() => [])
  }
  return processor
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export const GOOD_ANSWER = 'A complete answer with enough substance to pass every check the engine makes.'
