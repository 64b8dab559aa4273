import { describe, expect, it } from 'vitest'
import type { Task } from '../../shared/contract/tasks-contract'
import type { UsageReport } from '../../shared/contract/usage-contract'
import { startFakeOpenAi } from '../models/testing/fake-openai-server'
import { runKosInProcess } from '../test-support/run-kos-in-process'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }
const kos = (argv: string[]) =>
  runKosInProcess(argv, { untilStopped: () => new Promise<void>(() => undefined), out: [] })
/** The fake server's tokenizer: a word a token, and 3 for each message's template. */
const words = (text: string): number => text.match(/\s*\S+/g)?.length ?? 0

describe("the worker's tokens", () => {
  it('are counted from the server’s usage per task, by the project in its metadata or else its domain, and kos usage prints them', async () => {
    const server = await startFakeOpenAi({
      rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'The page is written and checked.' } }]
    })
    const dir = tempDir()
    const core = startTestCore(dir, { env: { KOS_MLX_API_URL: `${server.url}/v1` } })
    const tasks = [
      {
        title: 'Write the landing page',
        description: 'Write the landing page copy for the spring launch.',
        metadata: { project: 'website' }
      },
      { title: 'Fix the parser', description: 'Fix the CSV parser so quoted commas survive.', domain: 'coding' }
    ]
    try {
      const ids: string[] = []
      for (const input of tasks) {
        const created = await core.dispatcher.call('tasks.create', input, CLI)
        if (!created.ok) throw new Error(created.error.message)
        ids.push((created.value as Task).id)
      }
      for (const id of ids)
        await expect
          .poll(
            async () => {
              const got = await core.dispatcher.call('tasks.get', { id }, CLI)
              return got.ok ? (got.value as { task: Task }).task.status : null
            },
            { timeout: 20_000 }
          )
          .toBe('completed')
    } finally {
      await core.close()
      await server.close()
    }

    const json = await kos(['usage', '--by', 'project', '--json', '--data-dir', dir])
    expect(json.code).toBe(0)
    const report = JSON.parse(json.out[0] ?? '') as UsageReport
    const tokensIn = (t: { title: string; description: string }): number => 3 + words(`${t.title}\n\n${t.description}`)
    const out = words('The page is written and checked.')
    expect(report.groups.map((g) => [g.key, g.tokensIn, g.tokensOut, g.estimatedTokens, g.requests])).toEqual(
      expect.arrayContaining([
        ['website', tokensIn(tasks[0] as (typeof tasks)[0]), out, 0, 1],
        ['coding', tokensIn(tasks[1] as (typeof tasks)[1]), out, 0, 1]
      ])
    )
    expect(report.total.bySource).toEqual({
      chat: 0,
      board: 0,
      task: report.total.tokensIn + report.total.tokensOut,
      workflow: 0
    })
    // A loopback server is this Mac's own: it costs nothing.
    expect(report.total.cost).toBe(0)

    const text = await kos(['usage', '--by', 'model', '--data-dir', dir])
    expect(text.code).toBe(0)
    expect(text.out[0]).toMatch(/^Usage of every model call, \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}, by model$/)
    expect(text.out.join('\n')).toContain('mlx-community/Qwen2.5-7B-Instruct-4bit')
    const bad = await kos(['usage', '--by', 'colour', '--data-dir', dir])
    expect(bad.code).toBe(64)
    expect(bad.err.join('\n')).toContain(
      '--by "colour" is not a grouping: give one of day, expert, model, node, project.'
    )
    const future = await kos(['usage', '--since', '2999-01-01', '--data-dir', dir])
    expect(future.code).toBe(65)
    expect(future.err.join('\n')).toMatch(/since "2999-01-01" is not a day up to today/)
  }, 40_000)

  it('counts the tokens a cut stream spent, marked failed, and kos usage says how many of them failed', async () => {
    const server = await startFakeOpenAi({
      rules: [{ whenPromptContains: '', behaviour: { kind: 'cut', afterTokens: 4 } }]
    })
    const dir = tempDir()
    const core = startTestCore(dir, { env: { KOS_MLX_API_URL: `${server.url}/v1`, KOS_WORKER_RETRY_DELAY_SEC: '0' } })
    try {
      const created = await core.dispatcher.call(
        'tasks.create',
        { title: 'Write the release notes', description: 'Release notes for version 2.1, one paragraph.' },
        CLI
      )
      if (!created.ok) throw new Error(created.error.message)
      await expect
        .poll(
          async () => {
            const got = await core.dispatcher.call('usage.report', { by: 'day' }, CLI)
            return got.ok ? (got.value as UsageReport).total.failedRequests : 0
          },
          { timeout: 20_000 }
        )
        .toBeGreaterThan(0)
    } finally {
      await core.close()
      await server.close()
    }
    const json = await kos(['usage', '--json', '--data-dir', dir])
    const { total } = JSON.parse(json.out[0] ?? '') as UsageReport
    // Nothing answered: every token counted was spent by a failed call, and estimated from what it streamed.
    expect(total.failedTokens).toBe(total.tokensIn + total.tokensOut)
    expect(total.failedTokens).toBeGreaterThan(0)
    expect(total.estimatedTokens).toBe(total.failedTokens)
    const text = await kos(['usage', '--data-dir', dir])
    expect(text.out.join('\n')).toContain(
      `Of which failed: ${total.failedTokens.toLocaleString('en-US')} tokens, spent by ${total.failedRequests} call(s) that gave no answer`
    )
  }, 40_000)
})
