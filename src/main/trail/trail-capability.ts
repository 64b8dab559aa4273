import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { TaskStatus } from '../../shared/contract/tasks-contract'
import { TRAIL_LINE_LIMIT, type Trail } from '../../shared/contract/trail-contract'
import type { UsageSource } from '../../shared/contract/usage-contract'
import type { Db } from '../db/database'
import { logFilesOldestFirst } from '../log/log-files'
import type { Capability } from '../rpc/handler-types'

/** Fields every line has, shown in their own columns rather than in the detail. */
const OWN_FIELDS = new Set(['ts', 'level', 'msg', 'correlation_id', 'task_id', 'pid', 'host'])
const QUESTION_CHARS = 200

/**
 * One request's trail, read back: the chat message that started it, the
 * tasks it created, each model request it made, and the log lines it left,
 * so the task detail shows what `kos logs --correlation` prints, in order.
 */
export function createTrailCapability(deps: { db: Db; logFile: string }): Capability<'trail'> {
  const chatMessage = deps.db.prepare<[string], { session_id: string; id: string; content: string }>(
    "SELECT session_id, id, content FROM chat_messages WHERE correlation_id = ? AND role = 'user' ORDER BY created_at LIMIT 1"
  )
  const tasks = deps.db.prepare<[string], { id: string; title: string; status: TaskStatus }>(
    "SELECT id, title, status FROM tasks WHERE json_extract(metadata, '$.correlationId') = ? ORDER BY created_at, id"
  )
  const calls = deps.db.prepare<
    [string],
    {
      created_at: string
      source: UsageSource
      purpose: string
      task_id: string | null
      node: string
      model: string
      tokens_in: number
      tokens_out: number
      duration_ms: number
    }
  >(
    'SELECT created_at, source, purpose, task_id, node, model, tokens_in, tokens_out, duration_ms FROM model_usage WHERE correlation_id = ? ORDER BY id'
  )

  async function logLines(id: string): Promise<{ lines: Trail['lines']; omitted: number }> {
    const kept: Trail['lines'] = []
    let seen = 0
    for (const file of logFilesOldestFirst(deps.logFile)) {
      const input = createReadStream(file, 'utf8')
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        if (!line.includes(id)) continue
        let record: Record<string, unknown>
        try {
          record = JSON.parse(line) as Record<string, unknown>
        } catch {
          continue
        }
        if (record.correlation_id !== id) continue
        seen++
        kept.push({
          at: String(record.ts ?? ''),
          level: String(record.level ?? ''),
          msg: String(record.msg ?? ''),
          taskId: typeof record.task_id === 'string' ? record.task_id : null,
          detail: Object.entries(record)
            .filter(([key]) => !OWN_FIELDS.has(key))
            .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
            .join(' ')
        })
        // The newest lines matter most: the oldest beyond the limit are let go as the read goes on.
        if (kept.length > TRAIL_LINE_LIMIT) kept.shift()
      }
    }
    return { lines: kept, omitted: seen - kept.length }
  }

  return {
    handlers: {
      'trail.get': async ({ correlationId }) => {
        const message = chatMessage.get(correlationId)
        const { lines, omitted } = await logLines(correlationId)
        return {
          correlationId,
          chat: message
            ? {
                sessionId: message.session_id,
                messageId: message.id,
                question: message.content.slice(0, QUESTION_CHARS)
              }
            : null,
          tasks: tasks.all(correlationId),
          modelCalls: calls.all(correlationId).map((c) => ({
            at: c.created_at,
            source: c.source,
            purpose: c.purpose,
            taskId: c.task_id,
            node: c.node,
            model: c.model,
            tokensIn: c.tokens_in,
            tokensOut: c.tokens_out,
            durationMs: c.duration_ms
          })),
          lines,
          omittedLines: omitted
        }
      }
    }
  }
}
