import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { lineStreams } from './http-lines'
import { openAiChat } from './openai-chat'
import type { TokenUsage } from './provider'
import { failure } from './testing/provider-calls'

let server: Server | null = null
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((r) => (server ? server.close(r) : r(undefined)))
  server = null
})

/** A loopback server answering every request with `body`, as server-sent events. */
async function sse(body: string): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = []
  server = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString()))
    req.on('end', () => {
      requests.push(`${req.headers.authorization ?? 'no key'} ${text}`)
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(body)
    })
  })
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests }
}

const chunk = (content: string, finish: string | null = null): string =>
  JSON.stringify({ choices: [{ delta: { content }, finish_reason: finish }] })

function chatOf(url: string, usage: TokenUsage[] = []): { chat: (prompt: string) => AsyncIterable<string> } {
  const streams = lineStreams(url)
  return {
    chat: (prompt) =>
      openAiChat(
        streams,
        'test server',
        {
          model: 'm',
          messages: [{ role: 'user', content: prompt }],
          signal: new AbortController().signal,
          onUsage: (u) => usage.push(u)
        },
        { authorization: 'Bearer k' }
      )
  }
}

describe('OpenAI-compatible streamed chat over line streams', () => {
  it('reads events across CRLF, comments and multi-line data, then the usage chunk and [DONE]', async () => {
    const { url, requests } = await sse(
      [
        ': keep-alive comment',
        `data: ${chunk('Hel')}`,
        '',
        `data:${chunk('lo')}`,
        '',
        // One event whose data spans two lines: joined with a line feed, it is still one JSON value.
        'data: {"choices":[{"delta":{"content":" you"},',
        'data: "finish_reason":"stop"}]}',
        '',
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } })}`,
        '',
        'data: [DONE]',
        '',
        'data: {"after":"done is never read"}',
        ''
      ].join('\r\n')
    )
    const usage: TokenUsage[] = []
    let out = ''
    for await (const t of chatOf(url, usage).chat('hi')) out += t
    expect(out).toBe('Hello you')
    expect(usage).toEqual([{ tokensIn: 3, tokensOut: 2 }])
    expect(requests[0]).toMatch(/^Bearer k \{"model":"m","messages":\[\{"role":"user","content":"hi"\}\],"stream":true/)
  })

  it('ends an answer that finished without [DONE], and fails one that stopped before it finished', async () => {
    const finished = await sse(`data: ${chunk('ok', 'stop')}\n\n`)
    let out = ''
    for await (const t of chatOf(finished.url).chat('x')) out += t
    expect(out).toBe('ok')
    server?.closeAllConnections()
    await new Promise((r) => server?.close(r))
    const cut = await sse(`data: ${chunk('half')}\n\n`)
    const e = await failure(
      (async () => {
        for await (const t of chatOf(cut.url).chat('x')) void t
      })()
    )
    expect(e.kind).toBe('stream_interrupted')
  })

  it('fails an event that is not JSON as bad_response', async () => {
    const { url } = await sse('data: <html>\n\n')
    const e = await failure(
      (async () => {
        for await (const t of chatOf(url).chat('x')) void t
      })()
    )
    expect(e.kind).toBe('bad_response')
    expect(e.message).toContain('<html>')
  })
})
