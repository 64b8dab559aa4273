import { afterEach, describe, expect, it } from 'vitest'
import { createNodeRegistry } from './node-registry'
import { createRouterEmbedder } from './router-embedder'
import type { FakeHttp } from './testing/fake-http'
import { startFakeOllama } from './testing/fake-ollama-server'
import { memoryModelStore } from './testing/memory-model-store'
import { testConfig } from './testing/test-config'

const servers: FakeHttp[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function embedderWith(models: string[], rules: Parameters<typeof startFakeOllama>[0] = {}) {
  const server = await startFakeOllama({
    ...rules,
    models: models.map((name) => ({ name, sizeBytes: 1 })),
    embeddingDimension: 16
  })
  servers.push(server)
  const store = memoryModelStore()
  const registry = createNodeRegistry({
    config: testConfig({ 'ollama.apiUrl': server.url, 'mlx.apiUrl': 'http://127.0.0.1:9' }),
    store
  })
  await registry.scan()
  return {
    embedder: createRouterEmbedder({ registry, config: testConfig(), preferences: () => store.preferences() }),
    store,
    server
  }
}

describe('router embedder', () => {
  it('embeds with nomic-embed-text on Ollama and reports its id and dimension', async () => {
    const { embedder } = await embedderWith(['nomic-embed-text:latest', 'llama3.2:3b'])
    expect(await embedder.state()).toEqual({ available: true, model: { id: 'ollama:nomic-embed-text', dimension: 16 } })
    const [a, b, c] = await embedder.embed(['alpha', 'beta', 'alpha'])
    expect(a).toBeInstanceOf(Float32Array)
    expect(a?.length).toBe(16)
    expect(Array.from(a ?? [])).toEqual(Array.from(c ?? []))
    expect(Array.from(a ?? [])).not.toEqual(Array.from(b ?? []))
  })

  it('says which model to pull when no node has it', async () => {
    const { embedder } = await embedderWith(['llama3.2:3b'])
    const state = await embedder.state()
    expect(state.available).toBe(false)
    if (!state.available) expect(state.reason).toContain('nomic-embed-text')
    await expect(embedder.embed(['x'])).rejects.toThrow(/Pull it/)
  })

  it('uses the embedding preference and passes on the server’s error', async () => {
    const { embedder, store } = await embedderWith(['mxbai-embed-large:latest'], {
      rules: [
        {
          whenPromptContains: 'poison',
          behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated' }
        }
      ]
    })
    store.setPreference('embedding', 'mxbai-embed-large')
    expect((await embedder.state()).available).toBe(true)
    await expect(embedder.embed(['poison'])).rejects.toThrow(/runner process has terminated/)
  })
})
