import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { writeTinyGguf } from '../../../scripts/make-tiny-gguf'
import { useTempDirs } from '../test-support/temp-dir'
import { createEmbeddedProvider } from './embedded/embedded-provider'
import { startSourceWorker } from './embedded/testing-worker'
import { createOllamaProvider } from './ollama-provider'
import { createOpenAiProvider } from './openai-provider'
import type { ChatRequest, ModelProvider } from './provider'
import { ProviderError } from './provider-error'
import { startFakeOllama } from './testing/fake-ollama-server'
import { startFakeOpenAi } from './testing/fake-openai-server'
import type { FakeRule } from './testing/fake-script'

const SCHEMA = {
  type: 'object',
  properties: {
    score: { type: 'number', minimum: 0, maximum: 1 },
    reasons: { type: 'array', items: { type: 'string' } }
  },
  required: ['score', 'reasons'],
  additionalProperties: false
}
const RULES: FakeRule[] = [
  {
    whenPromptContains: 'judge',
    behaviour: { kind: 'json', value: { score: 0.7, reasons: ['fine'] }, unconstrained: 'Looks fine.' }
  },
  { whenPromptContains: 'broken', behaviour: { kind: 'json', value: { score: 3, reasons: [] }, unconstrained: 'x' } }
]
const closers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()))
})
const tempDir = useTempDirs()

async function answer(
  provider: ModelProvider,
  model: string,
  prompt: string,
  extra: Partial<ChatRequest> = {}
): Promise<string> {
  let out = ''
  for await (const t of provider.chat({
    model,
    messages: [{ role: 'user', content: prompt }],
    signal: new AbortController().signal,
    ...extra
  }))
    out += t
  return out
}

describe('structured output through each backend', () => {
  it('Ollama: sends the schema as `format` and gets JSON of it; without one, the model’s prose', async () => {
    const server = await startFakeOllama({ loaded: ['llama3.2:3b'], rules: RULES })
    closers.push(server)
    const provider = createOllamaProvider(server.url)
    const json = await answer(provider, 'llama3.2:3b', 'judge this', {
      jsonSchema: { name: 'verdict', schema: SCHEMA }
    })
    expect(JSON.parse(json)).toEqual({ score: 0.7, reasons: ['fine'] })
    expect(await answer(provider, 'llama3.2:3b', 'judge this')).toBe('Looks fine.')
    expect(server.formats).toEqual([SCHEMA, undefined])
    // A scripted value outside the schema is an error, as no constrained backend could produce it.
    const broken = await answer(provider, 'llama3.2:3b', 'broken', {
      jsonSchema: { name: 'verdict', schema: SCHEMA }
    }).then(
      () => null,
      (e: unknown) => e
    )
    expect(broken).toBeInstanceOf(ProviderError)
  })

  it('OpenAI-compatible: sends response_format json_schema (strict) and gets JSON of it', async () => {
    const server = await startFakeOpenAi({ models: [{ name: 'qwen', sizeBytes: 1 }], rules: RULES })
    closers.push(server)
    const provider = createOpenAiProvider(`${server.url}/v1`)
    const json = await answer(provider, 'qwen', 'judge this', { jsonSchema: { name: 'verdict', schema: SCHEMA } })
    expect(JSON.parse(json)).toEqual({ score: 0.7, reasons: ['fine'] })
    expect(server.formats).toEqual([
      { type: 'json_schema', json_schema: { name: 'verdict', schema: SCHEMA, strict: true } }
    ])
  })

  it(
    'embedded llama.cpp: a grammar from the schema holds even a random-weight model to JSON of it',
    { timeout: 120_000 },
    async () => {
      const dir = join(tempDir(), 'models')
      mkdirSync(dir)
      writeTinyGguf(join(dir, 'tiny.gguf'))
      const provider = createEmbeddedProvider({
        modelsDir: dir,
        startWorker: startSourceWorker,
        contextSize: 256,
        maxTokens: 200,
        threads: 1
      })
      closers.push(provider)
      const schema = {
        type: 'object',
        properties: { verdict: { enum: ['accept', 'send_back'] } },
        required: ['verdict'],
        additionalProperties: false
      }
      const text = await answer(provider, 'tiny', 'judge this', { jsonSchema: { name: 'verdict', schema } })
      expect(['accept', 'send_back']).toContain((JSON.parse(text) as { verdict: string }).verdict)
      // The same model without the grammar writes anything but that JSON.
      const free = await answer(provider, 'tiny', 'judge this')
      expect(() => JSON.parse(free)).toThrow()
    }
  )
})
