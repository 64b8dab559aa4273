import { describe, expect, it } from 'vitest'
import type { Task } from '../../shared/contract/tasks-contract'
import { startFakeOllama } from '../models/testing/fake-ollama-server'
import { runKosInProcess } from '../test-support/run-kos-in-process'
import { chatAnswer, sendChat } from '../test-support/chat-calls'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }
const kos = (argv: string[]) =>
  runKosInProcess(argv, { untilStopped: () => new Promise<void>(() => undefined), out: [] })
const CRASH = { kind: 'error' as const, status: 500, message: 'llama runner process has terminated' }

describe('the trail of a failed model call', () => {
  it('has a "model call failed" line under the correlation id of the task and of the chat, and kos logs --correlation prints it', async () => {
    const ollama = await startFakeOllama({
      loaded: ['llama3.2:3b'],
      rules: [{ whenPromptContains: 'FAILME', behaviour: CRASH }]
    })
    const dir = tempDir()
    const core = startTestCore(dir, { env: { KOS_OLLAMA_API_URL: ollama.url } })
    let taskCorrelation = ''
    let chatCorrelation = ''
    try {
      const created = await core.dispatcher.call(
        'tasks.create',
        { title: 'Write a deploy check', description: 'FAILME write a deploy check for the blog' },
        CLI
      )
      if (!created.ok) throw new Error(created.error.message)
      const id = (created.value as Task).id
      await expect
        .poll(
          async () => {
            const got = await core.dispatcher.call('tasks.get', { id }, CLI)
            const task = got.ok ? (got.value as { task: Task }).task : null
            taskCorrelation = String(task?.metadata.correlationId ?? '')
            return task?.lastError ?? null
          },
          { timeout: 20_000 }
        )
        .toContain('llama runner process has terminated')

      const session = await sendChat(core, 'FAILME hello')
      await expect
        .poll(
          async () => {
            const answer = await chatAnswer(core, session)
            chatCorrelation = answer?.correlationId ?? ''
            return answer?.status
          },
          { timeout: 20_000 }
        )
        .toBe('error')
    } finally {
      await core.close()
      await ollama.close()
    }

    const failedLines = async (correlation: string): Promise<Record<string, unknown>[]> => {
      const run = await kos(['logs', '--correlation', correlation, '--json', '--data-dir', dir])
      expect(run.code).toBe(0)
      // --json prints the trail as one array of log records.
      return (JSON.parse(run.out.join('\n')) as Record<string, unknown>[]).filter((l) => l.msg === 'model call failed')
    }
    const [taskLine] = await failedLines(taskCorrelation)
    expect(taskLine).toMatchObject({
      correlation_id: taskCorrelation,
      source: 'task',
      error_type: 'runner_terminated',
      node: 'ollama-local',
      model: 'llama3.2:3b',
      attempts: 1
    })
    expect(taskLine?.duration_ms).toEqual(expect.any(Number))
    expect(taskLine?.error).toContain('llama runner process has terminated')
    const [chatLine] = await failedLines(chatCorrelation)
    expect(chatLine).toMatchObject({
      correlation_id: chatCorrelation,
      error_type: 'runner_terminated',
      node: 'ollama-local',
      model: 'llama3.2:3b'
    })
  }, 60_000)
})
