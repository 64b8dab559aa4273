import type { ServerResponse } from 'node:http'
import { listen, sendJson, writeFlushed, type FakeHttp } from './fake-http'
import {
  fakeVector,
  lastUserMessage,
  pickBehaviour,
  sleep,
  answerText,
  structuredText,
  tokensOf,
  type FakeModel,
  type FakeRule
} from './fake-script'

export interface FakeOpenAiOptions {
  readonly models?: readonly FakeModel[]
  readonly rules?: readonly FakeRule[]
  readonly port?: number
  readonly embeddingDimension?: number
}

export interface FakeOpenAi extends FakeHttp {
  readonly requests: string[]
  /** The `response_format` of every chat request, in order (`undefined` where none was sent). */
  readonly formats: unknown[]
  setRules(rules: readonly FakeRule[]): void
}

/**
 * Speaks the OpenAI-compatible API as mlx_lm.server, LM Studio and
 * llama.cpp's server do: `data: {chunk}` SSE events ending with
 * `data: [DONE]`, and `{"error": {"message", "type", "code"}}` bodies.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const models = [...(options.models ?? [{ name: 'mlx-community/Qwen2.5-7B-Instruct-4bit', sizeBytes: 4_000_000_000 }])]
  let rules = [...(options.rules ?? [])]
  const requests: string[] = []
  const formats: unknown[] = []
  const dimension = options.embeddingDimension ?? 8

  const error = (res: ServerResponse, status: number, message: string, code: string | null): void =>
    sendJson(res, status, {
      error: { message, type: status === 404 ? 'invalid_request_error' : 'server_error', param: null, code }
    })

  const http = await listen(async (req, body, res) => {
    const b = (body ?? {}) as Record<string, unknown>
    requests.push(`${req.method} ${req.url}${b.model ? ` model=${String(b.model)}` : ''}`)
    if (req.method === 'GET' && req.url === '/v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: models.map((m) => ({ id: m.name, object: 'model', created: 1_700_000_000, owned_by: 'system' }))
      })
    }
    if (req.method === 'POST' && req.url === '/v1/embeddings') {
      const model = models.find((m) => m.name === b.model)
      if (!model) return error(res, 404, `The model \`${String(b.model)}\` does not exist.`, 'model_not_found')
      const input = Array.isArray(b.input) ? b.input.map(String) : [String(b.input ?? '')]
      return sendJson(res, 200, {
        object: 'list',
        data: input.map((t, index) => ({ object: 'embedding', index, embedding: fakeVector(t, dimension) })),
        model: model.name,
        usage: { prompt_tokens: input.length, total_tokens: input.length }
      })
    }
    if (req.method === 'POST' && req.url === '/v1/chat/completions') {
      const model = models.find((m) => m.name === b.model)
      if (!model) return error(res, 404, `The model \`${String(b.model)}\` does not exist.`, 'model_not_found')
      const prompt = lastUserMessage(b.messages)
      const behaviour = pickBehaviour(rules, model.name, prompt)
      if (behaviour.kind === 'hang') return
      if (behaviour.kind === 'reset') return void res.socket?.resetAndDestroy()
      if (behaviour.kind === 'error') return error(res, behaviour.status, behaviour.message, null)
      formats.push(b.response_format)
      const structured = behaviour.kind === 'json' ? structuredText(behaviour, schemaOf(b.response_format)) : null
      if (structured && !structured.ok) return error(res, structured.status, structured.message, null)
      const text = await answerText(behaviour, prompt, structured)
      // OpenAI-compatible servers stop at max_tokens.
      const tokens = tokensOf(text).slice(0, Number(b.max_tokens ?? Infinity))
      const id = `chatcmpl-${Math.random().toString(36).slice(2)}`
      const head = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: model.name }
      // As OpenAI's API does: with stream_options.include_usage every chunk carries `usage: null`, and one more
      // chunk with empty `choices` and the counts comes after the finish_reason chunk, before [DONE].
      const includeUsage = (b.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true
      const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
        `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) })}\n\n`
      // The prompt counted as the server's tokenizer would see it: every message's words plus the chat template's 3 per message.
      const promptTokens = Array.isArray(b.messages)
        ? (b.messages as { content?: unknown }[]).reduce((n, m) => n + 3 + tokensOf(String(m.content ?? '')).length, 0)
        : 0
      const usage = {
        prompt_tokens: promptTokens,
        completion_tokens: tokens.length,
        total_tokens: promptTokens + tokens.length
      }
      if (b.stream !== true) {
        return sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created: 0,
          model: model.name,
          choices: [{ index: 0, message: { role: 'assistant', content: tokens.join('') }, finish_reason: 'stop' }],
          usage
        })
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
      if (behaviour.kind === 'reply' && behaviour.firstTokenDelayMs) await sleep(behaviour.firstTokenDelayMs)
      await writeFlushed(res, chunk({ role: 'assistant', content: '' }, null))
      for (let i = 0; i < tokens.length; i++) {
        if (res.destroyed) return
        if (behaviour.kind === 'cut' && i === behaviour.afterTokens) return void res.socket?.destroy()
        if (behaviour.kind === 'stream_error' && i === behaviour.afterTokens) {
          return void res.end(
            `data: ${JSON.stringify({ error: { message: behaviour.message, type: 'server_error', code: null } })}\n\n`
          )
        }
        // Before a cut, what was sent must reach the client, as it does from a real server dying mid-answer.
        if (behaviour.kind === 'cut') await writeFlushed(res, chunk({ content: tokens[i] }, null))
        else res.write(chunk({ content: tokens[i] }, null))
        if (behaviour.kind === 'reply' && behaviour.tokenDelayMs && i > 0) await sleep(behaviour.tokenDelayMs)
      }
      res.write(chunk({}, tokens.length < tokensOf(text).length ? 'length' : 'stop'))
      if (includeUsage) res.write(`data: ${JSON.stringify({ ...head, choices: [], usage })}\n\n`)
      return void res.end('data: [DONE]\n\n')
    }
    error(res, 404, `${req.method} ${req.url} not found`, null)
  }, options.port)

  return { ...http, requests, formats, setRules: (next) => void (rules = [...next]) }
}

/** The schema a `response_format` holds: `json_object` asks for any JSON, `json_schema` for its schema; a broken one is passed on as such, to be refused. */
function schemaOf(format: unknown): unknown {
  if (format === undefined) return undefined
  const f = format as { type?: unknown; json_schema?: { schema?: unknown } }
  if (f.type === 'json_object') return 'json'
  if (f.type === 'text') return undefined
  return f.type === 'json_schema' ? f.json_schema?.schema : null
}
