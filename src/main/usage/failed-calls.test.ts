import { afterEach, describe, expect, it } from 'vitest'
import { taskUsage } from '../app/adapters/task-usage'
import { chatTestDb } from '../board/testing/test-core'
import { createModelStats } from '../models/model-stats'
import { createNodeRegistry } from '../models/node-registry'
import { createRouter } from '../models/router'
import type { FakeHttp } from '../models/testing/fake-http'
import { startFakeOllama } from '../models/testing/fake-ollama-server'
import { startFakeOpenAi } from '../models/testing/fake-openai-server'
import type { FakeRule } from '../models/testing/fake-script'
import { memoryModelStore } from '../models/testing/memory-model-store'
import { testConfig } from '../models/testing/test-config'
import type { ProcessingPlan, TaskForProcessing } from '../ports/task-processor'
import { createUsageLedger } from './usage-ledger'
import { createUsageReport } from './usage-report'

const servers: FakeHttp[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const RULES: FakeRule[] = [
  { whenPromptContains: 'CUT', behaviour: { kind: 'cut', afterTokens: 3 } },
  { whenPromptContains: 'ECHO', behaviour: { kind: 'echo' } },
  { whenPromptContains: 'FAIL', behaviour: { kind: 'error', status: 500, message: 'model runner crashed' } },
  { whenPromptContains: '', behaviour: { kind: 'reply', text: 'A full answer in six tokens here' } }
]

const task = (id: string, title: string): TaskForProcessing => ({
  id,
  title,
  description: '',
  domain: 'finance',
  priority: 'normal',
  assigneeExpert: 'analyst',
  preferredBackend: null,
  preferredModel: null,
  correlationId: `c-${id}`
})

interface Row {
  task_id: string
  tokens_in: number
  tokens_out: number
  counted: string
  failed: number
}

/** The router as the worker uses it, its calls counted by the usage ledger, against one fake server (no fallback). */
async function setup(server: 'ollama' | 'openai') {
  const fake =
    server === 'ollama'
      ? await startFakeOllama({ loaded: ['llama3.2:3b'], rules: RULES })
      : await startFakeOpenAi({ rules: RULES })
  servers.push(fake)
  const config = testConfig({
    'ollama.apiUrl': server === 'ollama' ? fake.url : 'http://127.0.0.1:9',
    'mlx.apiUrl': server === 'openai' ? fake.url : 'http://127.0.0.1:9',
    'models.maxFallbacks': 0,
    'llm.requestTimeoutSec': 5
  })
  const store = memoryModelStore()
  const registry = createNodeRegistry({ config, store })
  await registry.scan()
  const router = createRouter({ registry, stats: createModelStats(), config, preferences: () => store.preferences() })
  const db = chatTestDb()
  const ledger = createUsageLedger(db, {
    pricePer1k: () => 0,
    tokenBudget: () => 0,
    budgetPeriod: () => 'day',
    isRemoteNode: () => false
  })
  const stop = router.onTaskModelCall((call) => ledger.record(taskUsage(call)))
  const plan: ProcessingPlan =
    server === 'ollama'
      ? { backend: 'ollama-local', model: 'llama3.2:3b', heavy: false }
      : { backend: 'mlx-local', model: 'mlx-community/Qwen2.5-7B-Instruct-4bit', heavy: false }
  const run = async (t: TaskForProcessing): Promise<string | Error> =>
    router.process(t, plan, { signal: new AbortController().signal, progress: () => undefined }).catch((e: Error) => e)
  const rows = (): Row[] =>
    db.prepare<[], Row>('SELECT task_id, tokens_in, tokens_out, counted, failed FROM model_usage ORDER BY id').all()
  const report = () =>
    createUsageReport(db, { ledger, pricePer1k: () => 0 })(
      { since: '2000-01-01', by: 'project' },
      { expert: (id) => id, node: (id) => id }
    )
  return { run, rows, report, stop: () => (stop(), registry.stop()) }
}

describe('tokens of failed generations in the usage ledger', () => {
  it('counts, marked failed, what a cut stream had streamed and what an echo reported, and nothing for a 500 before any token (Ollama)', async () => {
    const { run, rows, report, stop } = await setup('ollama')
    expect(await run(task('ok', 'Define EBITDA'))).toBe('A full answer in six tokens here')
    expect(await run(task('cut', 'CUT this answer'))).toBeInstanceOf(Error)
    expect(await run(task('echo', 'ECHO the prompt back to me please'))).toBeInstanceOf(Error)
    expect(await run(task('fail', 'FAIL on the server'))).toBeInstanceOf(Error)
    stop()
    const [ok, cut, echo, ...rest] = rows()
    expect(rest).toEqual([])
    expect(ok).toMatchObject({ task_id: 'ok', counted: 'backend', failed: 0, tokens_in: 5 })
    // The cut stream sent three tokens and no counts: estimated from what it streamed, marked failed.
    expect(cut).toMatchObject({ task_id: 'cut', counted: 'estimate', failed: 1 })
    expect(cut?.tokens_out).toBeGreaterThan(0)
    // The echo came with Ollama's own counts before the router refused it.
    expect(echo).toMatchObject({ task_id: 'echo', counted: 'backend', failed: 1, tokens_in: 5 })
    expect(echo?.tokens_out).toBeGreaterThan(0)
    const failed = [cut, echo].reduce((sum, r) => sum + (r?.tokens_in ?? 0) + (r?.tokens_out ?? 0), 0)
    const { total } = report()
    expect(total).toMatchObject({ requests: 3, failedRequests: 2, failedTokens: failed })
    expect(total.tokensIn + total.tokensOut).toBe(failed + (ok?.tokens_in ?? 0) + (ok?.tokens_out ?? 0))
  })

  it('counts a cut stream of an OpenAI-compatible server (MLX) the same way', async () => {
    const { run, rows, report, stop } = await setup('openai')
    expect(await run(task('cut', 'CUT this answer'))).toBeInstanceOf(Error)
    expect(await run(task('fail', 'FAIL on the server'))).toBeInstanceOf(Error)
    stop()
    expect(rows()).toEqual([expect.objectContaining({ task_id: 'cut', counted: 'estimate', failed: 1 }) as Row])
    expect(report().total).toMatchObject({ requests: 1, failedRequests: 1 })
    expect(report().total.failedTokens).toBeGreaterThan(0)
  })
})
