import { describe, expect, it } from 'vitest'
import type { UsageReport } from '../../shared/contract/usage-contract'
import { startFakeOllama } from '../models/testing/fake-ollama-server'
import { runKosInProcess } from '../test-support/run-kos-in-process'
import { chatAnswer, sendChat } from '../test-support/chat-calls'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }

// The chair's prompt carries the members' positions; the members' carries only the question.
const RULES = [
  {
    whenPromptContains: 'Positions of the members',
    behaviour: { kind: 'stream_error' as const, afterTokens: 4, message: 'llama runner process has terminated' }
  },
  { whenPromptContains: 'CUTME', behaviour: { kind: 'cut' as const, afterTokens: 3 } }
]

describe('tokens of failed chat and board generations', () => {
  it('are counted marked failed, by kos usage and per source, while the answers that came stay unmarked', async () => {
    const ollama = await startFakeOllama({ loaded: ['llama3.2:3b'], rules: RULES })
    const dir = tempDir()
    const core = startTestCore(dir, { env: { KOS_OLLAMA_API_URL: ollama.url } })
    try {
      // The four members answer; the chair's answer fails part-way, as Ollama reports a runner crash in the stream.
      const consulted = await core.dispatcher.call(
        'board.consult',
        { question: 'Should we hire two more engineers this spring?' },
        CLI
      )
      expect(consulted.ok).toBe(false)

      // The chat's answer is cut after three tokens, as by a server killed mid-answer.
      const session = await sendChat(core, 'CUTME name three rivers')
      await expect.poll(async () => (await chatAnswer(core, session))?.status, { timeout: 20_000 }).toBe('error')
    } finally {
      await core.close()
      await ollama.close()
    }

    const run = await runKosInProcess(['usage', '--by', 'expert', '--json', '--data-dir', dir])
    expect(run.code).toBe(0)
    const report = JSON.parse(run.out.join('\n')) as UsageReport
    const board = report.groups.find((g) => g.key === 'board')
    // Four members answered and were counted as before; the chair's streamed tokens are counted too, marked failed.
    expect(board).toMatchObject({ requests: 5, failedRequests: 1, bySource: { board: expect.any(Number) } })
    expect(board?.failedTokens).toBeGreaterThan(0)
    expect(board?.failedTokens).toBeLessThan((board?.tokensIn ?? 0) + (board?.tokensOut ?? 0))
    const chat = report.groups.filter((g) => g.key !== 'board')
    expect(chat.reduce((n, g) => n + g.failedRequests, 0)).toBe(1)
    const cut = chat.find((g) => g.failedRequests === 1)
    // Nothing else of the chat's answer was counted: all its tokens are the cut attempt's, estimated from what it streamed.
    expect(cut).toMatchObject({ requests: 1, bySource: { chat: cut?.failedTokens } })
    expect(cut?.estimatedTokens).toBe(cut?.failedTokens)
    expect(report.total).toMatchObject({
      failedRequests: 2,
      failedTokens: (board?.failedTokens ?? 0) + (cut?.failedTokens ?? 0)
    })

    // An attempt that gave no answer is not an answer: the fallback share and the digest count none.
    const digest = await runKosInProcess(['digest', '2020-01-01T00:00:00Z', '--json', '--data-dir', dir])
    expect(JSON.parse(digest.out.join('\n'))).toMatchObject({
      chat: { answers: 0, fallbacks: 0 },
      usage: { requests: report.total.requests }
    })

    // The human report says it too.
    const said = await runKosInProcess(['usage', '--data-dir', dir])
    expect(said.out.join('\n')).toContain(
      `Of which failed: ${report.total.failedTokens.toLocaleString('en-US')} tokens, spent by 2 call(s)`
    )
  }, 60_000)
})
