import { afterEach, describe, expect, it } from 'vitest'
import { createOpenAiProvider } from './openai-provider'
import { ProviderError } from './provider-error'
import { collect, failure } from './testing/provider-calls'
import { startFakeOpenAi, type FakeOpenAi } from './testing/fake-openai-server'

const MODEL = 'mlx-community/Qwen2.5-7B-Instruct-4bit'
let server: FakeOpenAi | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

describe('OpenAI-compatible provider against a faithful SSE fake', () => {
  it('lists models, cannot tell loaded ones, and streams an answer', async () => {
    server = await startFakeOpenAi({
      rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'one two three' } }]
    })
    const p = createOpenAiProvider(`${server.url}/v1`)
    const signal = new AbortController().signal
    expect(await p.listModels(signal)).toEqual([{ name: MODEL, sizeBytes: null }])
    expect(await p.loadedModels(signal)).toBeNull()
    expect(await collect(p, 'count', MODEL)).toBe('one two three')
  })

  it('reports a missing model as not_found', async () => {
    server = await startFakeOpenAi()
    const e = await failure(collect(createOpenAiProvider(server.url), 'x', 'nope'))
    expect(e.kind).toBe('not_found')
    expect(e.message).toContain('does not exist')
  })

  it('classifies a 500 runner crash and a mid-stream OOM event', async () => {
    server = await startFakeOpenAi({
      rules: [
        {
          whenPromptContains: 'crash',
          behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated' }
        },
        {
          whenPromptContains: 'oom',
          behaviour: {
            kind: 'stream_error',
            afterTokens: 1,
            message:
              '[METAL] Command buffer execution failed: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)'
          }
        }
      ]
    })
    const p = createOpenAiProvider(server.url)
    expect((await failure(collect(p, 'crash', MODEL))).kind).toBe('runner_terminated')
    expect((await failure(collect(p, 'oom', MODEL))).kind).toBe('oom')
  })

  it('reports a stream cut before [DONE] and connection refused', async () => {
    server = await startFakeOpenAi({ rules: [{ whenPromptContains: '', behaviour: { kind: 'cut', afterTokens: 2 } }] })
    const p = createOpenAiProvider(server.url)
    expect((await failure(collect(p, 'x', MODEL))).kind).toBe('stream_interrupted')
    await server.close()
    server = null
    expect((await failure(p.listModels(new AbortController().signal))).kind).toBe('connection')
  })

  it('aborts a hung request and survives a slow first token', async () => {
    server = await startFakeOpenAi({
      rules: [
        { whenPromptContains: 'hang', behaviour: { kind: 'hang' } },
        { whenPromptContains: 'slow', behaviour: { kind: 'reply', text: 'worth the wait', firstTokenDelayMs: 300 } }
      ]
    })
    const p = createOpenAiProvider(server.url)
    const controller = new AbortController()
    setTimeout(() => controller.abort(new ProviderError('timeout', 'too slow')), 100)
    expect((await failure(collect(p, 'hang', MODEL, controller.signal))).kind).toBe('timeout')
    expect(await collect(p, 'slow', MODEL)).toBe('worth the wait')
  })

  it('embeds in input order', async () => {
    server = await startFakeOpenAi()
    const v = await createOpenAiProvider(server.url).embed(MODEL, ['a', 'b', 'a'], new AbortController().signal)
    expect(v).toHaveLength(3)
    expect(v[0]).toEqual(v[2])
    expect(v[0]).not.toEqual(v[1])
  })
})

describe('OpenAI-compatible provider with an API key', () => {
  it('sends the key stored for the node as a bearer token, read at each request', async () => {
    const { createServer } = await import('node:http')
    const seen: (string | undefined)[] = []
    const http = createServer((req, res) => {
      seen.push(req.headers.authorization)
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data: [{ id: 'm', object: 'model' }] }))
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()))
    const port = (http.address() as { port: number }).port
    let key: string | null = null
    const provider = createOpenAiProvider(`http://127.0.0.1:${port}/v1`, () => key)
    try {
      await provider.listModels(new AbortController().signal)
      key = 'sk-test-123'
      await provider.listModels(new AbortController().signal)
      expect(seen).toEqual([undefined, 'Bearer sk-test-123'])
    } finally {
      await new Promise((resolve) => http.close(resolve))
    }
  })
})
