import { afterEach, describe, expect, it } from 'vitest'
import { createOpenAiProvider } from './openai-provider'
import type { TokenUsage } from './provider'
import { startFakeOpenAi, type FakeOpenAi } from './testing/fake-openai-server'

const MODEL = 'mlx-community/Qwen2.5-7B-Instruct-4bit'
let server: FakeOpenAi | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

const reply = (text: string) => [{ whenPromptContains: '', behaviour: { kind: 'reply' as const, text } }]

async function sse(url: string, body: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], ...body })
  })
  const text = await response.text()
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]')
    .map((e) => JSON.parse(e.slice(6)) as Record<string, unknown>)
}

describe('token counts from an OpenAI-compatible server', () => {
  it('asks for usage in the stream and reports the final chunk’s prompt_tokens and completion_tokens', async () => {
    server = await startFakeOpenAi({ rules: reply('Здравствуйте, чем могу помочь сегодня') })
    const usage: TokenUsage[] = []
    let text = ''
    for await (const token of createOpenAiProvider(`${server.url}/v1`).chat({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Привет' }
      ],
      signal: new AbortController().signal,
      onUsage: (u) => usage.push(u)
    }))
      text += token
    expect(text).toBe('Здравствуйте, чем могу помочь сегодня')
    // The fake counts a word a token plus 3 per message, as its template would: (3 + 2) + (3 + 1) in, 5 out.
    expect(usage).toEqual([{ tokensIn: 9, tokensOut: 5 }])
  })

  it('the fake server speaks the wire shape: usage null on every chunk, then one chunk with empty choices', async () => {
    server = await startFakeOpenAi({ rules: reply('one two three') })
    const withUsage = await sse(server.url, { stream: true, stream_options: { include_usage: true } })
    expect(withUsage.slice(0, -1).every((c) => c.usage === null)).toBe(true)
    expect(withUsage.at(-2)?.choices).toEqual([{ index: 0, delta: {}, finish_reason: 'stop' }])
    expect(withUsage.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 }
    })
    // Without the option a server sends no usage at all while streaming, as OpenAI's API does.
    const without = await sse(server.url, { stream: true })
    expect(without.some((c) => 'usage' in c)).toBe(false)
    const whole = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 })
    }).then((r) => r.json() as Promise<{ usage: unknown; choices: { message: { content: string } }[] }>)
    expect(whole.usage).toEqual({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 })
    expect(whole.choices[0]?.message.content).toBe('one two')
  })

  it('reports nothing from a server that sends no usage, so the caller falls back to its estimate', async () => {
    server = await startFakeOpenAi({ rules: [{ whenPromptContains: '', behaviour: { kind: 'cut', afterTokens: 1 } }] })
    const usage: TokenUsage[] = []
    await expect(async () => {
      for await (const token of createOpenAiProvider(server?.url ?? '').chat({
        model: MODEL,
        messages: [{ role: 'user', content: 'x' }],
        signal: new AbortController().signal,
        onUsage: (u) => usage.push(u)
      }))
        void token
    }).rejects.toThrow()
    expect(usage).toEqual([])
  })
})
