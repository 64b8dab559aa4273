import { getEventListeners } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { createModelStats } from './model-stats'
import { createNodeRegistry, defaultProviderFactory } from './node-registry'
import { RouteError } from './route-error'
import { createRouter } from './router'
import type { FakeHttp } from './testing/fake-http'
import { startFakeOllama, type FakeOllama } from './testing/fake-ollama-server'
import { memoryModelStore } from './testing/memory-model-store'
import { testConfig } from './testing/test-config'

const servers: FakeHttp[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const MODEL = 'llama3.2:3b'

/** One Ollama node on a registry clock the test moves, so its scan goes stale on demand. */
async function setup(
  text = 'one two three four',
  settings: Parameters<typeof testConfig>[0] = {}
): Promise<{
  fake: FakeOllama
  router: ReturnType<typeof createRouter>
  advance: (ms: number) => void
}> {
  const fake = await startFakeOllama({
    models: [{ name: MODEL, sizeBytes: 2e9 }],
    loaded: [MODEL],
    rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text, tokenDelayMs: 1 } }]
  })
  servers.push(fake)
  let clock = 0
  const config = testConfig({
    'ollama.apiUrl': fake.url,
    'mlx.apiUrl': 'http://127.0.0.1:9',
    'models.scanTtlSec': 10,
    ...settings
  })
  const store = memoryModelStore()
  const registry = createNodeRegistry({ config, store, now: () => clock })
  await registry.scan()
  const router = createRouter({ registry, stats: createModelStats(), config, preferences: () => store.preferences() })
  return { fake, router, advance: (ms) => void (clock += ms) }
}

async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = ''
  for await (const token of stream) text += token
  return text
}

describe('router hot path', () => {
  it('sends the request before rescanning a stale node, and still rescans it', async () => {
    const { fake, router, advance } = await setup()
    advance(10_001)
    fake.requests.length = 0
    let firstToken: string[] | null = null
    const stream = router.chat([{ role: 'user', content: 'Say four words' }], { node: 'ollama-local', model: MODEL })
    for await (const token of stream) firstToken ??= token ? [...fake.requests] : []
    // The chat request is the only one the server saw before the first token came back.
    expect(firstToken).toEqual([`POST /api/chat model=${MODEL}`])
    await expect.poll(() => fake.requests.filter((r) => r.startsWith('GET /api/tags')).length).toBe(1)
    expect(fake.requests[0]).toBe(`POST /api/chat model=${MODEL}`)
  })

  it('rescans a stale node after a request that got no answer too', async () => {
    const { fake, router, advance } = await setup()
    advance(10_001)
    fake.setRules([{ whenPromptContains: '', behaviour: { kind: 'error', status: 500, message: 'boom' } }])
    fake.requests.length = 0
    await expect(
      collect(router.chat([{ role: 'user', content: 'Hi' }], { node: 'ollama-local', model: MODEL }))
    ).rejects.toBeInstanceOf(RouteError)
    await expect.poll(() => fake.requests.some((r) => r.startsWith('GET /api/tags'))).toBe(true)
  })

  it('leaves no listener on the caller’s signal once the answer is complete or cancelled', async () => {
    const { router } = await setup()
    const caller = new AbortController()
    const options = { signal: caller.signal, node: 'ollama-local', model: MODEL }
    expect(await collect(router.chat([{ role: 'user', content: 'Say four words' }], options))).toBe(
      'one two three four'
    )
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)

    // Left after the first token (a reader that stops early), then a request cancelled mid-answer.
    for await (const token of router.chat([{ role: 'user', content: 'Say four words' }], options)) {
      void token
      break
    }
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
    const cancelled = router.chat([{ role: 'user', content: 'Say four words' }], options)
    const read = (async () => {
      for await (const token of cancelled) {
        void token
        caller.abort()
      }
    })()
    await expect(read).rejects.toThrow('The request was cancelled.')
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
  })

  it('ends an answer that outlives the request budget mid-stream as a timeout, through the attempt in flight', async () => {
    // A budget of half a second (llm.requestTimeoutSec 1) against an answer of 50 tokens 50 ms apart.
    const { router, fake } = await setup('one', { 'llm.requestTimeoutSec': 1 })
    fake.setRules([
      { whenPromptContains: '', behaviour: { kind: 'reply', text: 'slow '.repeat(50), tokenDelayMs: 50 } }
    ])
    const caller = new AbortController()
    const tokens: string[] = []
    const read = (async () => {
      for await (const token of router.chat([{ role: 'user', content: 'Take your time' }], {
        signal: caller.signal,
        node: 'ollama-local',
        model: MODEL
      }))
        tokens.push(token)
    })()
    const error = await read.then(
      () => null,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(RouteError)
    expect((error as RouteError).message).toMatch(/no complete answer within 1 s \(llm\.requestTimeoutSec\)/)
    expect((error as RouteError).attempts.map((a) => a.kind)).toEqual(['timeout'])
    expect(tokens.length).toBeGreaterThan(0)
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
  })

  it('cancels a request already sent when the caller aborts before its first token', async () => {
    const { router, fake } = await setup()
    fake.setRules([{ whenPromptContains: '', behaviour: { kind: 'hang' } }])
    fake.requests.length = 0
    const caller = new AbortController()
    const read = collect(
      router.chat([{ role: 'user', content: 'Never answered' }], {
        signal: caller.signal,
        node: 'ollama-local',
        model: MODEL
      })
    )
    // The router follows the caller's signal once the request is written; the server has it by now.
    await expect.poll(() => fake.requests).toContain(`POST /api/chat model=${MODEL}`)
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1)
    caller.abort()
    await expect(read).rejects.toThrow('The request was cancelled.')
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
  })

  it('counts a provider that throws instead of streaming as a failed attempt, and leaves the node idle', async () => {
    const fake = await startFakeOllama({ models: [{ name: MODEL, sizeBytes: 2e9 }], loaded: [MODEL] })
    servers.push(fake)
    const config = testConfig({ 'ollama.apiUrl': fake.url, 'mlx.apiUrl': 'http://127.0.0.1:9' })
    const store = memoryModelStore()
    const registry = createNodeRegistry({
      config,
      store,
      providerFactory: (kind, url, id) => ({
        ...defaultProviderFactory(kind, url, id),
        chat: () => {
          throw new Error('the backend library broke')
        }
      })
    })
    await registry.scan()
    const stats = createModelStats()
    const router = createRouter({ registry, stats, config, preferences: () => store.preferences() })
    const error = await collect(
      router.chat([{ role: 'user', content: 'Hi' }], { node: 'ollama-local', model: MODEL })
    ).then(
      () => null,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(RouteError)
    expect((error as RouteError).message).toMatch(/the backend library broke/)
    expect(stats.load(['ollama-local'])[0]).toMatchObject({ activeRequests: 0, errorRate: 1 })
  })
})
