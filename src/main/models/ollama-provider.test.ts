import { createServer } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createOllamaProvider } from './ollama-provider'
import { ProviderError } from './provider-error'
import { collect, failure } from './testing/provider-calls'
import { startFakeOllama, type FakeOllama } from './testing/fake-ollama-server'

const MODEL = 'llama3.2:3b'
let server: FakeOllama | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

describe('Ollama provider against a faithful fake', () => {
  it('lists models, loaded models and streams an answer token by token', async () => {
    server = await startFakeOllama({
      models: [
        { name: 'llama3.2:3b', sizeBytes: 10 },
        { name: 'qwen2.5-coder:7b', sizeBytes: 20 }
      ],
      rules: [{ whenPromptContains: 'hi', behaviour: { kind: 'reply', text: 'hello there friend' } }]
    })
    const p = createOllamaProvider(server.url)
    const signal = new AbortController().signal
    expect(await p.listModels(signal)).toEqual([
      { name: 'llama3.2:3b', sizeBytes: 10 },
      { name: 'qwen2.5-coder:7b', sizeBytes: 20 }
    ])
    expect(await p.loadedModels(signal)).toEqual([])
    const pieces: string[] = []
    for await (const t of p.chat({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }], signal }))
      pieces.push(t)
    expect(pieces).toEqual(['hello', ' there', ' friend'])
    expect((await p.loadedModels(signal))?.map((m) => m.name)).toEqual(['llama3.2:3b'])
  })

  it('reports a missing model as not_found with the server’s words', async () => {
    server = await startFakeOllama()
    const e = await failure(collect(createOllamaProvider(server.url), 'x', 'nope:1b'))
    expect(e.kind).toBe('not_found')
    expect(e.status).toBe(404)
    expect(e.message).toContain("model 'nope:1b' not found")
  })

  it('classifies a 500 "llama runner process has terminated" as runner_terminated, not out of memory', async () => {
    server = await startFakeOllama({
      rules: [
        {
          whenPromptContains: '',
          behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated: signal: killed' }
        }
      ]
    })
    const e = await failure(collect(createOllamaProvider(server.url), 'x', MODEL))
    expect(e.kind).toBe('runner_terminated')
    expect(e.status).toBe(500)
  })

  it('classifies an out-of-memory error line mid-stream as oom', async () => {
    server = await startFakeOllama({
      rules: [
        {
          whenPromptContains: '',
          behaviour: {
            kind: 'stream_error',
            afterTokens: 2,
            message: 'ggml_metal_graph_compute: command buffer 0 failed with status 5 (Insufficient Memory)'
          }
        }
      ]
    })
    const e = await failure(collect(createOllamaProvider(server.url), 'x', MODEL))
    expect(e.kind).toBe('oom')
  })

  it('reports a stream cut mid-way as stream_interrupted, never as unreachable or a complete answer', async () => {
    server = await startFakeOllama({ rules: [{ whenPromptContains: '', behaviour: { kind: 'cut', afterTokens: 2 } }] })
    const e = await failure(collect(createOllamaProvider(server.url), 'x', MODEL))
    expect(e.kind).toBe('stream_interrupted')
  })

  it('classifies an error line mid-answer that names no cause as server_error', async () => {
    server = await startFakeOllama({
      rules: [
        {
          whenPromptContains: '',
          behaviour: { kind: 'stream_error', afterTokens: 1, message: 'an unexpected error occurred' }
        }
      ]
    })
    const e = await failure(collect(createOllamaProvider(server.url), 'x', MODEL))
    expect(e.kind).toBe('server_error')
  })

  it('reports connection refused as connection', async () => {
    server = await startFakeOllama()
    const url = server.url
    await server.close()
    server = null
    const e = await failure(createOllamaProvider(url).listModels(new AbortController().signal))
    expect(e.kind).toBe('connection')
  })

  it('gives up on a hung server when the caller aborts, with the abort reason', async () => {
    server = await startFakeOllama({ rules: [{ whenPromptContains: '', behaviour: { kind: 'hang' } }] })
    const controller = new AbortController()
    const pending = collect(createOllamaProvider(server.url), 'x', MODEL, controller.signal)
    setTimeout(() => controller.abort(new ProviderError('timeout', 'no answer in 1 s')), 100)
    const e = await failure(pending)
    expect(e.kind).toBe('timeout')
  })

  it('waits through a slow first token', async () => {
    server = await startFakeOllama({
      rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: 'late but fine', firstTokenDelayMs: 300 } }]
    })
    expect(await collect(createOllamaProvider(server.url), 'x', MODEL)).toBe('late but fine')
  })

  it('embeds, preloads with keep_alive and pulls with progress', async () => {
    server = await startFakeOllama({
      models: [
        { name: 'nomic-embed-text:latest', sizeBytes: 1 },
        { name: 'llama3.2:3b', sizeBytes: 1 }
      ]
    })
    const p = createOllamaProvider(server.url)
    const signal = new AbortController().signal
    const vectors = await p.embed('nomic-embed-text', ['a', 'b'], signal)
    expect(vectors).toHaveLength(2)
    expect(vectors[0]).toHaveLength(8)
    expect(vectors[0]).not.toEqual(vectors[1])
    await p.preload?.('llama3.2:3b', '10m', signal)
    expect(server.loaded()).toContain('llama3.2:3b')
    const progress: number[] = []
    await p.pull?.('phi3:mini', signal, (pr) => {
      if (pr.total) progress.push((pr.completed ?? 0) / pr.total)
    })
    expect(progress.at(-1)).toBe(1)
    expect((await p.listModels(signal)).map((m) => m.name)).toContain('phi3:mini')
    const e = await failure(p.pull?.('missing-model', signal, () => undefined) ?? Promise.resolve())
    expect(e.message).toContain('file does not exist')
  })

  it('fails a streamed answer whose line is not JSON as bad_response, naming the line', async () => {
    const raw = createServer((_req, res) => void res.writeHead(200).end('{"message":{"content":"a"}}\n<html>oops\n'))
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', () => r()))
    try {
      const address = raw.address() as { port: number }
      const e = await failure(collect(createOllamaProvider(`http://127.0.0.1:${address.port}`), 'x', MODEL))
      expect(e.kind).toBe('bad_response')
      expect(e.message).toContain('<html>oops')
    } finally {
      raw.closeAllConnections()
      await new Promise((r) => raw.close(r))
    }
  })

  it('cuts the request when the reader stops early, and streams the next answer on a kept connection', async () => {
    const written = new Map<string, number>()
    const text = Array.from({ length: 40 }, (_, i) => `t${i}`).join(' ')
    server = await startFakeOllama({
      rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text, tokenDelayMs: 5 } }],
      onTokenWritten: (prompt) => written.set(prompt, (written.get(prompt) ?? 0) + 1)
    })
    const p = createOllamaProvider(server.url)
    const signal = new AbortController().signal
    for await (const t of p.chat({ model: MODEL, messages: [{ role: 'user', content: 'cut me' }], signal }))
      if (t === 't0') break
    // The next answer streams to its end (40 tokens, 5 ms apart): the cut one stopped long before its 40th.
    expect(await collect(p, 'again', MODEL)).toBe(text)
    expect(written.get('again')).toBe(40)
    expect(written.get('cut me')).toBeLessThan(40)
  })
})
