import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Task } from '../../shared/contract/tasks-contract'
import { startFakeOllama } from '../models/testing/fake-ollama-server'
import { runKosInProcess } from '../test-support/run-kos-in-process'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }

describe('one correlation id from a call through the task it creates and the worker that runs it', () => {
  it("logs every line about the task under the creating call's id, and kos logs --correlation prints that trail", async () => {
    const ollama = await startFakeOllama({
      loaded: ['llama3.2:3b'],
      rules: [
        {
          whenPromptContains: 'outage',
          behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated: signal: killed' }
        }
      ]
    })
    const dir = tempDir()
    const core = startTestCore(dir, { env: { KOS_OLLAMA_API_URL: ollama.url, KOS_WORKER_MAX_ATTEMPTS: '1' } })
    let task: Task | null = null
    let logFile = ''
    try {
      logFile = core.info().logFile
      const created = await core.dispatcher.call(
        'tasks.create',
        { title: 'Summarise the outage', description: 'Summarise the outage of last night for the owner.' },
        CLI
      )
      if (!created.ok) throw new Error(created.error.message)
      const id = (created.value as Task).id
      await expect
        .poll(
          async () => {
            const got = await core.dispatcher.call('tasks.get', { id }, CLI)
            task = got.ok ? (got.value as { task: Task }).task : null
            return task?.status
          },
          { timeout: 20_000 }
        )
        .toBe('deferred_to_human')
    } finally {
      await core.close()
      await ollama.close()
    }
    const correlationId = (task as Task | null)?.metadata.correlationId
    expect(typeof correlationId).toBe('string')
    const lines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const aboutTask = lines.filter((l) => l.task_id === (task as Task | null)?.id)
    // The create (by the dispatcher's call logger) and the failed attempt (by the worker) at least.
    expect(aboutTask.map((l) => l.msg)).toEqual(expect.arrayContaining(['task created', 'task attempt failed']))
    expect(aboutTask.filter((l) => l.correlation_id !== correlationId)).toEqual([])

    const trail = await runKosInProcess(['logs', '--correlation', String(correlationId), '--data-dir', dir], {
      untilStopped: () => new Promise<void>(() => undefined),
      out: []
    })
    expect(trail.code).toBe(0)
    const printed = trail.out.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(printed.length).toBeGreaterThanOrEqual(aboutTask.length)
    expect(printed.every((l) => l.correlation_id === correlationId)).toBe(true)
    const missing = await runKosInProcess(['logs', '--correlation', 'no-such-id', '--data-dir', dir], {
      untilStopped: () => new Promise<void>(() => undefined),
      out: []
    })
    expect(missing.code).toBe(66)
    expect(missing.err.join('\n')).toMatch(/No log line carries correlation id "no-such-id"/)
  }, 30_000)
})
