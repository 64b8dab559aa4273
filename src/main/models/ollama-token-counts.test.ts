import { afterEach, describe, expect, it } from 'vitest'
import { createOllamaProvider } from './ollama-provider'
import type { TokenUsage } from './provider'
import { startFakeOllama, type FakeOllama } from './testing/fake-ollama-server'

let server: FakeOllama | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

describe('token counts from Ollama', () => {
  it("reports the final line's prompt_eval_count and eval_count, not an estimate from the text", async () => {
    server = await startFakeOllama({
      rules: [
        { whenPromptContains: 'Привет', behaviour: { kind: 'reply', text: 'Здравствуйте, чем могу помочь сегодня' } }
      ]
    })
    const usage: TokenUsage[] = []
    let text = ''
    for await (const token of createOllamaProvider(server.url).chat({
      model: 'llama3.2:3b',
      messages: [{ role: 'user', content: 'Привет' }],
      signal: new AbortController().signal,
      onUsage: (u) => usage.push(u)
    }))
      text += token
    expect(text).toBe('Здравствуйте, чем могу помочь сегодня')
    // The fake server counts as Ollama's wire format carries it: 5 prompt tokens, one per streamed token.
    expect(usage).toEqual([{ tokensIn: 5, tokensOut: 5 }])
  })
})
