import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { writeTinyGguf } from '../../../../scripts/make-tiny-gguf'
import { useTempDirs } from '../../test-support/temp-dir'
import { ProviderError } from '../provider-error'
import type { TokenUsage } from '../provider'
import { createEmbeddedProvider, memoryNeeded, promptOf } from './embedded-provider'
import { startSourceWorker } from './testing-worker'

const tempDir = useTempDirs()
const providers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()))
})

function modelsDir(): string {
  const dir = join(tempDir(), 'models')
  mkdirSync(dir)
  writeTinyGguf(join(dir, 'tiny.gguf'))
  return dir
}

describe('embedded llama.cpp provider', () => {
  it(
    'loads a real tiny GGUF in a worker thread, streams a completion, embeds, and can be cancelled',
    { timeout: 120_000 },
    async () => {
      const provider = createEmbeddedProvider({
        modelsDir: modelsDir(),
        startWorker: startSourceWorker,
        contextSize: 256,
        maxTokens: 12,
        threads: 1
      })
      providers.push(provider)
      const signal = new AbortController().signal
      expect(await provider.listModels(signal)).toEqual([{ name: 'tiny', sizeBytes: expect.any(Number) as number }])
      expect(await provider.loadedModels(signal)).toEqual([])

      const pieces: string[] = []
      const usage: TokenUsage[] = []
      const messages = [{ role: 'user' as const, content: 'привет, hello there' }]
      for await (const piece of provider.chat({ model: 'tiny', messages, signal, onUsage: (u) => usage.push(u) }))
        pieces.push(piece)
      expect(pieces.length).toBeGreaterThan(0)
      // Counted by the model's own tokenizer: the tiny vocab has one token per Latin letter and byte fallback
      // for the rest, so Cyrillic costs a token per byte (a length/4 estimate would say a quarter of that).
      const promptBytes = Buffer.byteLength(promptOf(messages))
      expect(usage).toHaveLength(1)
      expect(usage[0]?.tokensIn).toBeGreaterThanOrEqual(promptBytes)
      expect(usage[0]?.tokensIn).toBeLessThanOrEqual(promptBytes + 2)
      expect(usage[0]?.tokensOut).toBeGreaterThanOrEqual(1)
      expect(usage[0]?.tokensOut).toBeLessThanOrEqual(12)
      expect((await provider.loadedModels(signal))?.map((m) => m.name)).toEqual(['tiny'])

      const [a, b, a2] = await provider.embed('tiny', ['alpha beta', 'gamma', 'alpha beta'], signal)
      expect(a).toHaveLength(64)
      expect(a).toEqual(a2)
      expect(a).not.toEqual(b)

      const controller = new AbortController()
      let received = 0
      const error = await (async () => {
        for await (const piece of provider.chat({
          model: 'tiny',
          messages: [{ role: 'user', content: 'go on' }],
          signal: controller.signal
        })) {
          void piece
          if (++received === 1) controller.abort()
        }
      })().then(
        () => null,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(ProviderError)
      expect((error as ProviderError).kind).toBe('aborted')
    }
  )

  it(
    'lets a chat on one model finish before an embedding on another swaps it out (chat and knowledge share the engine)',
    { timeout: 120_000 },
    async () => {
      const dir = modelsDir()
      writeTinyGguf(join(dir, 'other.gguf'))
      const provider = createEmbeddedProvider({
        modelsDir: dir,
        startWorker: startSourceWorker,
        contextSize: 256,
        maxTokens: 24,
        threads: 1
      })
      providers.push(provider)
      const signal = new AbortController().signal
      const order: string[] = []
      const chat = (async () => {
        const pieces: string[] = []
        for await (const piece of provider.chat({
          model: 'tiny',
          messages: [{ role: 'user', content: 'hi' }],
          signal
        })) {
          if (pieces.length === 0) order.push('first token')
          pieces.push(piece)
        }
        order.push('chat done')
        return pieces.length
      })()
      // Asked while the chat streams: it must wait for the chat, not free its model under it.
      const embedding = (async () => {
        while (order.length === 0) await new Promise((r) => setTimeout(r, 5))
        const vectors = await provider.embed('other', ['alpha'], signal)
        order.push('embedded')
        return vectors
      })()
      const [pieces, vectors] = await Promise.all([chat, embedding])
      expect(pieces).toBeGreaterThan(0)
      expect(vectors[0]).toHaveLength(64)
      expect(order).toEqual(['first token', 'chat done', 'embedded'])
      expect((await provider.loadedModels(signal))?.map((m) => m.name)).toEqual(['other'])
    }
  )

  it('refuses a model that will not fit in free memory, saying what it needs', async () => {
    const dir = modelsDir()
    const provider = createEmbeddedProvider({
      modelsDir: dir,
      startWorker: startSourceWorker,
      contextSize: 256,
      freeMemory: () => 10 * 1024 * 1024
    })
    providers.push(provider)
    const error = await provider.preload?.('tiny', '', new AbortController().signal).then(
      () => null,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).kind).toBe('oom')
    expect((error as ProviderError).message).toMatch(/needs about \d+ MB of memory but only 10 MB is free/)
    expect(memoryNeeded(1e9, 2048)).toBeGreaterThan(1e9)
  })

  it('names the folder when a model is missing', async () => {
    const dir = modelsDir()
    const provider = createEmbeddedProvider({ modelsDir: dir, startWorker: startSourceWorker })
    providers.push(provider)
    const error = await provider.embed('nope', ['x'], new AbortController().signal).then(
      () => null,
      (e: unknown) => e
    )
    expect((error as ProviderError).kind).toBe('not_found')
    expect((error as ProviderError).message).toContain(dir)
  })
})
