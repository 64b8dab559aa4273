import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../shared/contract/chat-contract'
import type { Trail } from '../../shared/contract/trail-contract'
import { startFakeOllama } from '../models/testing/fake-ollama-server'
import { chatAnswer, sendChat } from '../test-support/chat-calls'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }
const REQUEST = 'Plan the spring launch: research the market, write the launch memo and review the budget.'

describe('one correlation id through a chat that creates subtasks', () => {
  it('is on every log line the chat, its tasks, their runs and the router write', async () => {
    const ollama = await startFakeOllama({
      loaded: ['llama3.2:3b'],
      rules: [
        {
          whenPromptContains: 'Plan the spring launch',
          behaviour: {
            kind: 'reply',
            text: '1. Research the market — three competitors and their prices\n2. Write the launch memo — one page for the team'
          }
        }
      ]
    })
    const dir = tempDir()
    const core = startTestCore(dir, { env: { KOS_OLLAMA_API_URL: ollama.url } })
    let logFile = ''
    let answer: ChatMessage | null = null
    let trailOf: Trail | null = null
    try {
      logFile = core.info().logFile
      const session = await sendChat(core, REQUEST, 'high')
      await expect
        .poll(
          async () => {
            answer = await chatAnswer(core, session)
            return answer?.status
          },
          { timeout: 30_000 }
        )
        .toBe('complete')
      const read = await core.dispatcher.call(
        'trail.get',
        { correlationId: (answer as ChatMessage | null)?.correlationId ?? '' },
        CLI
      )
      trailOf = read.ok ? (read.value as Trail) : null
    } finally {
      await core.close()
      await ollama.close()
    }
    const finished = answer as ChatMessage | null
    expect(finished?.route).toBe('complex')
    const taskIds = new Set([finished?.parentTaskId, ...(finished?.subtasks ?? []).map((s) => s.id)])
    expect(taskIds.size).toBe(3)
    const correlationId = finished?.correlationId
    const lines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const logged = lines.filter(
      (l) =>
        l.correlation_id === correlationId ||
        l.message_id === finished?.id ||
        l.session_id === finished?.sessionId ||
        taskIds.has(l.task_id as string)
    )
    expect(logged.filter((l) => l.correlation_id !== correlationId)).toEqual([])
    // The trail is whole: the chat's own steps, the subtasks, and every model request, the worker's included.
    const messages = logged.map((l) => l.msg)
    expect(messages).toEqual(
      expect.arrayContaining(['chat answer started', 'request classified', 'subtasks queued', 'chat answer finished'])
    )
    const calls = logged.filter((l) => l.msg === 'model call')
    // Each subtask's run (and the parent's, which the worker runs too) asked a model under the chat's id.
    const taskCalls = calls.filter((l) => l.source === 'task').map((l) => l.task_id as string)
    expect(taskCalls).toEqual(expect.arrayContaining((finished?.subtasks ?? []).map((s) => s.id)))
    expect(taskCalls.every((id) => taskIds.has(id))).toBe(true)
    expect(calls.filter((l) => l.source === 'chat').map((l) => l.purpose)).toEqual(
      expect.arrayContaining(['decompose', 'synthesize'])
    )
    expect(calls.every((l) => l.node === 'ollama-local' && typeof l.tokens_in === 'number')).toBe(true)

    // The task detail's trail reads the same: the question, its tasks, each model call and the log lines.
    const trail = trailOf as Trail | null
    expect(trail?.chat).toMatchObject({ sessionId: finished?.sessionId, question: REQUEST })
    expect(new Set(trail?.tasks.map((t) => t.id))).toEqual(taskIds)
    expect(trail?.modelCalls.filter((c) => c.source === 'task').map((c) => c.taskId)).toEqual(
      expect.arrayContaining((finished?.subtasks ?? []).map((s) => s.id))
    )
    expect(trail?.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['subtasks queued', 'model call']))
    expect(trail?.omittedLines).toBe(0)
  }, 60_000)
})
