import { afterEach, describe, expect, it } from 'vitest'
import { createNodeRegistry } from './node-registry'
import type { FakeHttp } from './testing/fake-http'
import { startFakeOllama } from './testing/fake-ollama-server'
import { startFakeOpenAi } from './testing/fake-openai-server'
import { memoryModelStore } from './testing/memory-model-store'
import { testConfig } from './testing/test-config'

const servers: FakeHttp[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

describe('node registry and scanner', () => {
  it('lists the same nodes until a URL, the embedded switch or the user’s nodes change, and the change at once', () => {
    const config = testConfig({ 'ollama.apiUrl': 'http://127.0.0.1:1', 'embedded.enabled': false })
    const registry = createNodeRegistry({ config, store: memoryModelStore(), embeddedModelsDir: '/models' })
    const first = registry.nodes()
    expect(registry.nodes()).toBe(first)
    config.set('ollama.apiUrl', 'http://127.0.0.1:2')
    expect(registry.nodes().find((n) => n.id === 'ollama-local')?.url).toBe('http://127.0.0.1:2')
    config.set('embedded.enabled', true)
    expect(registry.nodes().map((n) => n.id)).toEqual(['ollama-local', 'mlx-local', 'embedded'])
    const added = registry.add('ollama', 'http://127.0.0.1:3', 'Studio')
    expect(added.ok).toBe(true)
    expect(registry.nodes().map((n) => n.label)).toContain('Studio')
    registry.stop()
  })

  it('scans the settings nodes: reachable, models, loaded models and latency; unreachable ones say why', async () => {
    const ollama = await startFakeOllama({ loaded: ['llama3.2:3b'] })
    servers.push(ollama)
    const gone = await startFakeOpenAi()
    await gone.close()
    const registry = createNodeRegistry({
      config: testConfig({ 'ollama.apiUrl': ollama.url, 'mlx.apiUrl': gone.url }),
      store: memoryModelStore()
    })
    expect(registry.status('ollama-local').state).toBe('unknown')
    await registry.scan()
    const up = registry.status('ollama-local')
    expect(up).toMatchObject({
      state: 'up',
      error: null,
      models: [{ name: 'llama3.2:3b' }],
      loaded: [{ name: 'llama3.2:3b' }]
    })
    expect(up.latencyMs).toBeGreaterThanOrEqual(0)
    const down = registry.status('mlx-local')
    expect(down.state).toBe('down')
    expect(down.error).toBe(`OpenAI-compatible server at ${gone.url} is unreachable (ECONNREFUSED)`)
  })

  it('trusts a scan for its TTL and scans again after it', async () => {
    const ollama = await startFakeOllama()
    servers.push(ollama)
    let clock = 0
    const registry = createNodeRegistry({
      config: testConfig({ 'ollama.apiUrl': ollama.url, 'mlx.apiUrl': 'http://127.0.0.1:9', 'models.scanTtlSec': 10 }),
      store: memoryModelStore(),
      now: () => clock
    })
    await registry.refreshStale()
    const tags = (): number => ollama.requests.filter((r) => r === 'GET /api/tags').length
    expect(tags()).toBe(1)
    clock = 9_000
    await registry.refreshStale()
    expect(tags()).toBe(1)
    clock = 10_000
    await registry.refreshStale()
    expect(tags()).toBe(2)
  })

  it('adds OpenAI-compatible and Ollama nodes, refuses bad and duplicate URLs, keeps them in the store, and removes only its own', async () => {
    const mlx = await startFakeOpenAi()
    servers.push(mlx)
    const store = memoryModelStore()
    const config = testConfig({ 'ollama.apiUrl': 'http://127.0.0.1:9', 'mlx.apiUrl': 'http://127.0.0.1:10' })
    const registry = createNodeRegistry({ config, store })
    expect(registry.add('openai', 'ftp://x', '')).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(registry.add('openai', 'nonsense', '')).toMatchObject({
      ok: false,
      code: 'invalid_input',
      message: expect.stringContaining('"nonsense" is not a URL') as string
    })
    expect(registry.add('ollama', 'http://127.0.0.1:9/', '')).toMatchObject({ ok: false, code: 'conflict' })
    const added = registry.add('openai', `${mlx.url}/`, 'LM Studio')
    expect(added).toMatchObject({
      ok: true,
      node: { kind: 'openai', url: mlx.url, label: 'LM Studio', source: 'user' }
    })
    await registry.scan()
    const id = added.ok ? added.node.id : ''
    expect(registry.status(id)).toMatchObject({ state: 'up', loaded: null })
    expect(
      createNodeRegistry({ config, store })
        .nodes()
        .map((n) => n.id)
    ).toContain(id)
    expect(registry.remove('ollama-local')).toMatchObject({ ok: false, code: 'forbidden' })
    expect(registry.remove('nope')).toMatchObject({ ok: false, code: 'not_found' })
    expect(registry.remove(id)).toEqual({ ok: true })
    expect(store.nodes()).toEqual([])
  })

  it('follows a changed URL setting with a new scan of the new server', async () => {
    const first = await startFakeOllama({ models: [{ name: 'a:1b', sizeBytes: 1 }] })
    const second = await startFakeOllama({ models: [{ name: 'b:1b', sizeBytes: 1 }] })
    servers.push(first, second)
    const config = testConfig({ 'ollama.apiUrl': first.url, 'mlx.apiUrl': 'http://127.0.0.1:9' })
    const registry = createNodeRegistry({ config, store: memoryModelStore() })
    const changes: number[] = []
    registry.onChange(() => changes.push(1))
    registry.start()
    try {
      await registry.scan()
      expect(registry.status('ollama-local').models.map((m) => m.name)).toEqual(['a:1b'])
      config.set('ollama.apiUrl', second.url)
      await registry.scan(['ollama-local'])
      expect(registry.status('ollama-local').models.map((m) => m.name)).toEqual(['b:1b'])
      expect(changes.length).toBeGreaterThan(0)
    } finally {
      registry.stop()
    }
  })

  it('marks a node down at once on a refused request, and looks at down nodes again only after the given time', async () => {
    const ollama = await startFakeOllama()
    servers.push(ollama)
    let clock = 0
    const registry = createNodeRegistry({
      config: testConfig({
        'ollama.apiUrl': ollama.url,
        'mlx.apiUrl': 'http://127.0.0.1:9',
        'models.scanTtlSec': 3600
      }),
      store: memoryModelStore(),
      now: () => clock
    })
    await registry.scan()
    let changes = 0
    registry.onChange(() => changes++)
    registry.markDown('ollama-local', `Ollama at ${ollama.url} is unreachable (ECONNREFUSED)`)
    expect(registry.status('ollama-local')).toMatchObject({
      state: 'down',
      error: `Ollama at ${ollama.url} is unreachable (ECONNREFUSED)`,
      models: [{ name: 'llama3.2:3b' }]
    })
    expect(changes).toBe(1)
    const tags = (): number => ollama.requests.filter((r) => r === 'GET /api/tags').length
    const before = tags()
    clock = 1_999
    await registry.rescanDown(2_000)
    expect(tags()).toBe(before)
    clock = 2_000
    await registry.rescanDown(2_000)
    expect(tags()).toBe(before + 1)
    expect(registry.status('ollama-local').state).toBe('up')
  })

  it('counts a settings node as configured once seen up at its URL (remembered across restarts), set explicitly, or supervised', async () => {
    const mlx = await startFakeOpenAi()
    servers.push(mlx)
    const store = memoryModelStore()
    const config = testConfig({
      'ollama.apiUrl': 'http://127.0.0.1:9',
      'mlx.apiUrl': mlx.url,
      'supervisor.mlx': 'off',
      'supervisor.ollama': 'off'
    })
    const fresh = createNodeRegistry({ config, store })
    expect(fresh.configured('mlx-local')).toBe(false)
    expect(fresh.configured('ollama-local')).toBe(false)
    await fresh.scan()
    expect(fresh.configured('mlx-local')).toBe(true)
    expect(createNodeRegistry({ config, store }).configured('mlx-local')).toBe(true)
    config.set('mlx.apiUrl', 'http://127.0.0.1:10')
    expect(createNodeRegistry({ config, store }).configured('mlx-local')).toBe(false)
    expect(
      createNodeRegistry({ config, store, isExplicit: (key) => key === 'mlx.apiUrl' }).configured('mlx-local')
    ).toBe(true)
    config.set('supervisor.ollama', 'manage')
    expect(createNodeRegistry({ config, store }).configured('ollama-local')).toBe(true)
  })
})
