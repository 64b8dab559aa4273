import type { IncomingMessage, ServerResponse } from 'node:http'
import { listen, sendJson, writeFlushed, type FakeHttp } from './fake-http'
import {
  fakeVector,
  lastUserMessage,
  pickBehaviour,
  sleep,
  answerText,
  structuredText,
  tokensOf,
  type FakeBehaviour,
  type FakeModel,
  type FakeRule
} from './fake-script'

export interface FakeOllamaOptions {
  readonly models?: readonly FakeModel[]
  /** Models already in memory at start. */
  readonly loaded?: readonly string[]
  /** How long loading a model takes before its first token. */
  readonly loadDelayMs?: number
  readonly rules?: readonly FakeRule[]
  readonly port?: number
  readonly embeddingDimension?: number
  /** Called as each streamed token is written, with the prompt it answers, for latency measurements. */
  readonly onTokenWritten?: (prompt: string, index: number) => void
}

export interface FakeOllama extends FakeHttp {
  /** Every request, in order: "POST /api/chat model=x". */
  readonly requests: string[]
  /** The `format` of every chat or generate request, in order (`undefined` where none was sent). */
  readonly formats: unknown[]
  setRules(rules: readonly FakeRule[]): void
  setModels(models: readonly FakeModel[]): void
  loaded(): string[]
  unload(name: string): void
}

/**
 * Speaks Ollama's HTTP API as Ollama 0.x does: NDJSON streams ending with a
 * `done: true` line, `{"error": "..."}` bodies with the real status codes,
 * errors mid-stream as an `{"error"}` line, keep_alive loading and /api/ps.
 */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  let models = [...(options.models ?? [{ name: 'llama3.2:3b', sizeBytes: 2_019_393_189 }])]
  let rules = [...(options.rules ?? [])]
  const loaded = new Map<string, number>((options.loaded ?? []).map((name) => [name, Date.now() + 300_000]))
  const loading = new Map<string, Promise<void>>()
  const requests: string[] = []
  const formats: unknown[] = []
  const dimension = options.embeddingDimension ?? 8

  const known = (name: string): FakeModel | undefined =>
    models.find((m) => m.name === name || m.name === `${name}:latest`)

  async function ensureLoaded(name: string, keepAlive: unknown): Promise<void> {
    if (!loaded.has(name)) {
      let pending = loading.get(name)
      if (!pending) {
        pending = sleep(options.loadDelayMs ?? 0)
        loading.set(name, pending)
      }
      await pending
      loading.delete(name)
    }
    loaded.set(name, Date.now() + keepAliveMs(keepAlive))
  }

  async function generateLike(
    req: IncomingMessage,
    body: Record<string, unknown>,
    res: ServerResponse,
    kind: 'chat' | 'generate'
  ): Promise<void> {
    const model = String(body.model ?? '')
    const model_ = known(model)
    if (!model_) return sendJson(res, 404, { error: `model '${model}' not found` })
    const prompt = kind === 'chat' ? lastUserMessage(body.messages) : String(body.prompt ?? '')
    const stream = body.stream !== false
    const isLoadOnly = kind === 'chat' ? !Array.isArray(body.messages) || body.messages.length === 0 : prompt === ''
    const behaviour: FakeBehaviour = isLoadOnly
      ? { kind: 'reply', text: '' }
      : pickBehaviour(rules, model_.name, prompt)
    if (behaviour.kind === 'hang') return
    if (behaviour.kind === 'reset') return void res.socket?.resetAndDestroy()
    if (behaviour.kind === 'error') return sendJson(res, behaviour.status, { error: behaviour.message })
    if (!isLoadOnly) formats.push(body.format)
    const structured = behaviour.kind === 'json' ? structuredText(behaviour, body.format) : null
    if (structured && !structured.ok) return sendJson(res, structured.status, { error: structured.message })
    await ensureLoaded(model_.name, body.keep_alive)
    const text = await answerText(behaviour, prompt, structured)
    // Ollama stops at options.num_predict (a probe asks for a few tokens).
    const tokens = tokensOf(text).slice(
      0,
      Number((body.options as { num_predict?: unknown } | undefined)?.num_predict ?? Infinity)
    )
    const piece = (content: string, done: boolean): Record<string, unknown> => {
      const base = { model: model_.name, created_at: new Date().toISOString() }
      const payload =
        kind === 'chat' ? { ...base, message: { role: 'assistant', content } } : { ...base, response: content }
      return done
        ? {
            ...payload,
            done: true,
            done_reason: isLoadOnly ? 'load' : 'stop',
            total_duration: 1000,
            load_duration: 10,
            prompt_eval_count: 5,
            eval_count: tokens.length,
            eval_duration: 500
          }
        : { ...payload, done: false }
    }
    if (!stream) return sendJson(res, 200, { ...piece(text, true) })
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    if (behaviour.kind === 'reply' && behaviour.firstTokenDelayMs) await sleep(behaviour.firstTokenDelayMs)
    for (let i = 0; i < tokens.length; i++) {
      if (res.destroyed) return
      if (behaviour.kind === 'cut' && i === behaviour.afterTokens) {
        res.socket?.destroy()
        return
      }
      if (behaviour.kind === 'stream_error' && i === behaviour.afterTokens) {
        res.end(JSON.stringify({ error: behaviour.message }) + '\n')
        return
      }
      const written = JSON.stringify(piece(tokens[i] ?? '', false)) + '\n'
      // Before a cut, what was sent must reach the client, as it does from a real server dying mid-answer.
      if (behaviour.kind === 'cut') await writeFlushed(res, written)
      else res.write(written)
      options.onTokenWritten?.(prompt, i)
      if (behaviour.kind === 'reply' && behaviour.tokenDelayMs && i > 0) await sleep(behaviour.tokenDelayMs)
    }
    res.end(JSON.stringify(piece('', true)) + '\n')
    void req
  }

  async function pull(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const name = String(body.model ?? body.name ?? '')
    if (name.includes('missing')) return sendJson(res, 500, { error: 'pull model manifest: file does not exist' })
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    const total = 4_000_000
    res.write(JSON.stringify({ status: 'pulling manifest' }) + '\n')
    for (let completed = 0; completed <= total; completed += 1_000_000) {
      await sleep(20)
      res.write(
        JSON.stringify({ status: 'pulling 6a0746a1ec1a', digest: 'sha256:6a0746a1ec1a', total, completed }) + '\n'
      )
    }
    res.write(JSON.stringify({ status: 'verifying sha256 digest' }) + '\n')
    res.write(JSON.stringify({ status: 'writing manifest' }) + '\n')
    if (!known(name)) models.push({ name: name.includes(':') ? name : `${name}:latest`, sizeBytes: total })
    res.end(JSON.stringify({ status: 'success' }) + '\n')
  }

  const http = await listen(async (req, body, res) => {
    const b = (body ?? {}) as Record<string, unknown>
    requests.push(`${req.method} ${req.url}${b.model ? ` model=${String(b.model)}` : ''}`)
    const now = Date.now()
    for (const [name, until] of loaded) if (until < now) loaded.delete(name)
    if (req.method === 'GET' && req.url === '/')
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('Ollama is running')
    if (req.method === 'GET' && req.url === '/api/version') return sendJson(res, 200, { version: '0.12.3' })
    if (req.method === 'GET' && req.url === '/api/tags')
      return sendJson(res, 200, { models: models.map((m) => describe(m)) })
    if (req.method === 'GET' && req.url === '/api/ps') {
      const running = models.filter((m) => loaded.has(m.name))
      return sendJson(res, 200, {
        models: running.map((m) => ({
          ...describe(m),
          expires_at: new Date(loaded.get(m.name) ?? now).toISOString(),
          size_vram: m.sizeBytes
        }))
      })
    }
    if (req.method === 'POST' && req.url === '/api/chat') return generateLike(req, b, res, 'chat')
    if (req.method === 'POST' && req.url === '/api/generate') return generateLike(req, b, res, 'generate')
    if (req.method === 'POST' && req.url === '/api/pull') return pull(b, res)
    if (req.method === 'POST' && req.url === '/api/embed') {
      const model = known(String(b.model ?? ''))
      if (!model) return sendJson(res, 404, { error: `model '${String(b.model)}' not found` })
      const input = Array.isArray(b.input) ? b.input.map(String) : [String(b.input ?? '')]
      const behaviour = pickBehaviour(rules, model.name, input.join('\n'))
      if (behaviour.kind === 'error') return sendJson(res, behaviour.status, { error: behaviour.message })
      if (behaviour.kind === 'hang') return
      if (behaviour.kind === 'reset') return void res.socket?.resetAndDestroy()
      await ensureLoaded(model.name, b.keep_alive)
      return sendJson(res, 200, {
        model: model.name,
        embeddings: input.map((t) => fakeVector(t, dimension)),
        total_duration: 1000,
        load_duration: 10,
        prompt_eval_count: input.length
      })
    }
    sendJson(res, 404, { error: `${req.method} ${req.url} not found` })
  }, options.port)

  return {
    ...http,
    requests,
    formats,
    setRules: (next) => void (rules = [...next]),
    setModels: (next) => void (models = [...next]),
    loaded: () => [...loaded.keys()],
    unload: (name) => void loaded.delete(name)
  }
}

function describe(m: FakeModel): Record<string, unknown> {
  return {
    name: m.name,
    model: m.name,
    modified_at: '2025-01-01T00:00:00Z',
    size: m.sizeBytes,
    digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'llama',
      families: ['llama'],
      parameter_size: '3.2B',
      quantization_level: 'Q4_K_M'
    }
  }
}

/** Ollama's keep_alive: a duration string ("5m", "30s"), seconds as a number, negative = forever. */
function keepAliveMs(value: unknown): number {
  if (typeof value === 'number') return value < 0 ? 1e12 : value * 1000
  if (typeof value === 'string') {
    const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value)
    if (m) {
      const n = Number(m[1])
      if (n < 0) return 1e12
      const unit = m[2] ?? 's'
      return n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000)
    }
  }
  return 300_000
}
