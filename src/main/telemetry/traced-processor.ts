import type { TaskProcessor } from '../ports/task-processor'
import { taskKey } from './task-spans'
import type { TraceExport } from './trace-export'

/** Each run of a task as a `task.run` span: its correlation id, task, node and model, and why it failed where it did. */
export function tracedProcessor(inner: TaskProcessor, traces: Pick<TraceExport, 'record'>): TaskProcessor {
  return {
    plan: (task) => inner.plan(task),
    ensureReady: (plan, ctx) => inner.ensureReady(plan, ctx),
    load: () => inner.load(),
    ...(inner.score ? { score: inner.score.bind(inner) } : {}),
    async process(task, plan, ctx) {
      const startMs = Date.now()
      const span = (error: string | null): void =>
        traces.record({
          name: 'task.run',
          correlationId: task.correlationId,
          parentKey: taskKey(task.id),
          startMs,
          endMs: Date.now(),
          attributes: {
            'kos.task_id': task.id,
            'kos.backend': plan.backend,
            'kos.model': plan.model,
            ...(plan.call ? { 'kos.shared_call': plan.call.id, 'kos.shared_call_tasks': plan.call.tasks } : {})
          },
          error
        })
      try {
        const answer = await inner.process(task, plan, ctx)
        span(null)
        return answer
      } catch (error) {
        span(error instanceof Error ? error.message : String(error))
        throw error
      }
    }
  }
}
