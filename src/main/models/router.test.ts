import { afterEach, describe, expect, it } from 'vitest'
import type { TaskForProcessing } from '../ports/task-processor'
import { ProcessingError } from '../ports/task-processor'
import { createModelStats } from './model-stats'
import { createNodeRegistry, type NodeRegistry } from './node-registry'
import { RouteError } from './route-error'
import { createRouter, type Router } from './router'
import type { FakeHttp } from './testing/fake-http'
import { startFakeOllama } from './testing/fake-ollama-server'
import type { FakeRule } from './testing/fake-script'
import { memoryModelStore } from './testing/memory-model-store'
import { testConfig, type TestConfig } from './testing/test-config'

const servers: FakeHttp[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

function task(overrides: Partial<TaskForProcessing> = {}): TaskForProcessing {
  return {
    id: 't1',
    title: 'Write a haiku about the sea',
    description: '',
    domain: null,
    priority: 'normal',
    assigneeExpert: null,
    preferredBackend: null,
    preferredModel: null,
    correlationId: 'c1',
    ...overrides
  }
}

interface Setup {
  router: Router
  registry: NodeRegistry
  config: TestConfig
  urls: string[]
}

/** Two Ollama nodes (A at settings ollama.apiUrl, B added by the user), both with llama3.2:3b. */
async function setup(
  a: { rules?: FakeRule[]; loaded?: string[]; loadDelayMs?: number; models?: { name: string; sizeBytes: number }[] },
  b: { rules?: FakeRule[] } | 'down',
  prefs: Record<string, string> = {}
): Promise<Setup> {
  const nodeA = await startFakeOllama({
    models: a.models ?? [{ name: 'llama3.2:3b', sizeBytes: 2e9 }],
    rules: a.rules ?? [],
    loaded: a.loaded ?? [],
    loadDelayMs: a.loadDelayMs ?? 0
  })
  servers.push(nodeA)
  const config = testConfig({
    'ollama.apiUrl': nodeA.url,
    'mlx.apiUrl': 'http://127.0.0.1:9',
    'llm.requestTimeoutSec': 2,
    'models.loadBufferSec': 1
  })
  const store = memoryModelStore()
  for (const [category, model] of Object.entries(prefs)) store.setPreference(category, model)
  const registry = createNodeRegistry({ config, store })
  let urlB = 'http://127.0.0.1:10'
  if (b !== 'down') {
    const nodeB = await startFakeOllama({ models: [{ name: 'llama3.2:3b', sizeBytes: 2e9 }], rules: b.rules ?? [] })
    servers.push(nodeB)
    urlB = nodeB.url
  }
  const added = registry.add('ollama', urlB, 'Mac Studio')
  if (!added.ok) throw new Error(added.message)
  await registry.scan()
  const router = createRouter({ registry, stats: createModelStats(), config, preferences: () => store.preferences() })
  return { router, registry, config, urls: [nodeA.url, urlB] }
}

const ctx = (progress: string[] = [], signal = new AbortController().signal) => ({
  signal,
  progress: (m: string) => progress.push(m)
})

async function processError(router: Router, t: TaskForProcessing): Promise<ProcessingError> {
  const error = await router.process(t, router.plan(t), ctx()).then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ProcessingError)
  return error as ProcessingError
}

describe('router', () => {
  it('plans the category’s preferred model on the node that has it loaded, and marks big models heavy', async () => {
    const { router } = await setup(
      {
        models: [
          { name: 'llama3.2:3b', sizeBytes: 2e9 },
          { name: 'qwen2.5-coder:32b', sizeBytes: 19e9 }
        ],
        loaded: ['qwen2.5-coder:32b']
      },
      {},
      { coding: 'qwen2.5-coder', general: 'llama3.2' }
    )
    expect(router.plan(task({ domain: 'coding' }))).toEqual({
      backend: 'ollama-local',
      model: 'qwen2.5-coder:32b',
      heavy: true
    })
    expect(router.plan(task({ domain: 'writing' }))).toMatchObject({ model: 'llama3.2:3b', heavy: false })
  })

  it('refuses to plan when no node that could run the task is up, so the task is not claimed', async () => {
    const { router } = await setup({}, 'down')
    for (const server of servers.splice(0)) await server.close()
    const config = testConfig({ 'ollama.apiUrl': 'http://127.0.0.1:9', 'mlx.apiUrl': 'http://127.0.0.1:9' })
    const registry = createNodeRegistry({ config, store: memoryModelStore() })
    await registry.scan()
    const offline = createRouter({ registry, stats: createModelStats(), config, preferences: () => new Map() })
    expect(() => offline.plan(task())).toThrow(ProcessingError)
    expect(router.plan(task())).toMatchObject({ backend: 'ollama-local' })
  })

  it('looks again when nothing was up at the last scan, so a server that came back answers at once', async () => {
    const late = await startFakeOllama({
      models: [{ name: 'llama3.2:3b', sizeBytes: 2e9 }],
      rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'Back again and answering.' } }]
    })
    servers.push(late)
    const port = new URL(late.url).port
    await late.close()
    const config = testConfig({ 'ollama.apiUrl': late.url, 'mlx.apiUrl': 'http://127.0.0.1:9' })
    const registry = createNodeRegistry({ config, store: memoryModelStore() })
    await registry.scan()
    expect(registry.status('ollama-local').state).toBe('down')
    const revived = await startFakeOllama({
      port: Number(port),
      models: [{ name: 'llama3.2:3b', sizeBytes: 2e9 }],
      rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'Back again and answering.' } }]
    })
    servers.push(revived)
    const router = createRouter({ registry, stats: createModelStats(), config, preferences: () => new Map() })
    let text = ''
    for await (const token of router.chat([{ role: 'user', content: 'Are you there?' }])) text += token
    expect(text).toBe('Back again and answering.')
  })

  it('falls back to the next node on a 500 runner crash and reports it in the progress lines', async () => {
    const { router } = await setup(
      {
        rules: [
          {
            whenPromptContains: '',
            behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated: exit status 2' }
          }
        ]
      },
      { rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'Waves fold on the shore' } }] }
    )
    const progress: string[] = []
    const t = task()
    const plan = router.plan(t)
    expect(plan.backend).toBe('ollama-local')
    expect(await router.process(t, plan, ctx(progress))).toBe('Waves fold on the shore')
    expect(progress.join('\n')).toMatch(/llama runner process has terminated.*trying the next candidate/)
    expect(router.load().find((l) => l.backend === 'ollama-local')?.errorRate).toBe(1)
  })

  it('never returns an echo: falls back, and fails as echo when every candidate echoes', async () => {
    const echo: FakeRule[] = [{ whenPromptContains: '', behaviour: { kind: 'echo' } }]
    const first = await setup(
      { rules: echo },
      { rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'Salt wind, grey water' } }] }
    )
    expect(await first.router.process(task(), first.router.plan(task()), ctx())).toBe('Salt wind, grey water')
    const all = await setup({ rules: echo }, { rules: echo })
    expect((await processError(all.router, task())).type).toBe('echo')
  })

  it('streams a chat without handing out a held-back echo', async () => {
    const { router } = await setup(
      { rules: [{ whenPromptContains: '', behaviour: { kind: 'echo' } }] },
      { rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'A real answer here' } }] }
    )
    const tokens: string[] = []
    for await (const t of router.chat([{ role: 'user', content: 'Say something original please' }])) tokens.push(t)
    expect(tokens.join('')).toBe('A real answer here')
    expect(tokens.length).toBeGreaterThan(1)
  })

  it('leaves a hung node within the one shared timeout and answers from the next', async () => {
    const { router } = await setup(
      { rules: [{ whenPromptContains: '', behaviour: { kind: 'hang' } }] },
      { rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'From the second node' } }] }
    )
    const progress: string[] = []
    expect(await router.process(task(), router.plan(task()), ctx(progress))).toBe('From the second node')
    expect(progress.join('\n')).toMatch(/no first token within/)
  })

  it('fails as timeout when every node hangs past the one shared budget', async () => {
    const hang: FakeRule[] = [{ whenPromptContains: '', behaviour: { kind: 'hang' } }]
    const { router } = await setup({ rules: hang }, { rules: hang })
    const e = await processError(router, task())
    expect(e.type).toBe('timeout')
    // Which timer fires last, the shared deadline or the last attempt's first-token window (its share of
    // what is left), depends on scheduling on a busy machine; either way the one budget ended it.
    expect(e.message).toMatch(/no complete answer within 2 s \(llm\.requestTimeoutSec\)|no first token within/)
  })

  it('classifies a 500 that names no cause as server_error, and out of memory as oom_or_metal only with out-of-memory evidence', async () => {
    const down = await setup(
      {
        rules: [
          { whenPromptContains: '', behaviour: { kind: 'error', status: 500, message: 'unexpected server status' } }
        ]
      },
      'down'
    )
    const e = await processError(down.router, task())
    expect(e.type).toBe('server_error')
    expect(e.message).toContain('unexpected server status')

    const oom = await setup(
      {
        rules: [
          {
            whenPromptContains: '',
            behaviour: {
              kind: 'error',
              status: 500,
              message: 'llama runner process has terminated: error:failed to allocate context'
            }
          }
        ]
      },
      {
        rules: [
          {
            whenPromptContains: '',
            behaviour: { kind: 'stream_error', afterTokens: 0, message: 'CUDA error: out of memory' }
          }
        ]
      }
    )
    expect((await processError(oom.router, task())).type).toBe('oom_or_metal')
    expect(oom.router.load().every((l) => l.backend === 'mlx-local' || l.oomRecently)).toBe(true)
  })

  it('records time to first token and tokens per second per node and model', async () => {
    const { router } = await setup(
      {
        rules: [
          { whenPromptContains: '', behaviour: { kind: 'reply', text: 'one two three four five', tokenDelayMs: 5 } }
        ]
      },
      {}
    )
    const tokens: string[] = []
    for await (const t of router.chat([{ role: 'user', content: 'count' }], { node: 'ollama-local' })) tokens.push(t)
    expect(tokens).toEqual(['one', ' two', ' three', ' four', ' five'])
    const [speed] = router.speeds()
    expect(speed).toMatchObject({ node: 'ollama-local', model: 'llama3.2:3b', requests: 1 })
    expect(speed?.ttftMsMedian).toBeGreaterThanOrEqual(0)
    expect(speed?.tokensPerSecMedian).toBeGreaterThan(0)
    expect(router.load().find((l) => l.backend === 'ollama-local')?.latencyMs).not.toBeNull()
  })

  it('throws a RouteError naming the cause when no node is reachable', async () => {
    const { router } = await setup({}, 'down')
    servers.splice(0).forEach((s) => void s.close())
    await new Promise((r) => setTimeout(r, 50))
    const error = await (async () => {
      for await (const _ of router.chat([{ role: 'user', content: 'hello' }])) void _
    })().then(
      () => null,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(RouteError)
    expect((error as RouteError).processingType()).toBe('connection_error')
  })

  it('says once, by its name and address, that the node a task is about to run on is down', async () => {
    const { router, registry, urls } = await setup({}, 'down')
    const studio = registry.nodes().find((n) => n.label === 'Mac Studio')
    const e = await router
      .ensureReady({ backend: studio?.id ?? '', model: 'llama3.2:3b', heavy: false }, new AbortController())
      .then(
        () => null,
        (x: unknown) => x
      )
    expect(e).toBeInstanceOf(ProcessingError)
    const message = (e as ProcessingError).message
    expect(message).toContain(`Mac Studio (${urls[1]}) is unreachable`)
    expect(message.split(urls[1] ?? '')).toHaveLength(2)
  })

  it('waits for a model to load within the load buffer, and says so when it does not', async () => {
    const slow = await setup({ loadDelayMs: 200 }, {})
    const plan = { backend: 'ollama-local', model: 'llama3.2:3b', heavy: false }
    await slow.router.ensureReady(plan, new AbortController())
    const tooSlow = await setup({ loadDelayMs: 3000 }, {})
    const e = await tooSlow.router.ensureReady(plan, new AbortController()).then(
      () => null,
      (x: unknown) => x
    )
    expect(e).toBeInstanceOf(ProcessingError)
    expect((e as ProcessingError).type).toBe('timeout')
    expect((e as ProcessingError).message).toContain('models.loadBufferSec')
  })
})
