/**
 * A model server for the chaos bench, in a process of its own so the bench
 * can kill -9 it: one of the project's fake servers (Ollama or
 * OpenAI-compatible wire protocol) behind a fault proxy that listens on the
 * public port. The proxy passes requests through, or, as told on
 * `POST /__fault {"fault": …}`, answers every generation with a 500 "llama
 * runner process has terminated", echoes the prompt, hangs, or cuts 30% of
 * the streamed answers mid-stream. Started by the bench, or by the app's
 * supervisor (KOS_OLLAMA_COMMAND), which gives the address in OLLAMA_HOST.
 *
 *   node jiti-cli.mjs bench/chaos/fault-server.ts <ollama|openai> <port> [pid file]
 */
import { writeFileSync } from 'node:fs'
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import { startFakeOllama } from '../../src/main/models/testing/fake-ollama-server'
import { startFakeOpenAi } from '../../src/main/models/testing/fake-openai-server'
import type { FakeRule } from '../../src/main/models/testing/fake-script'

export type Fault = 'none' | 'error500' | 'echo' | 'hang' | 'cut30'
export const CHAOS_MODEL = { ollama: 'llama3.2:3b', openai: 'mlx-community/Qwen2.5-3B-Instruct-4bit' } as const
// An answer of 16 words at 40 ms a word: under a second per generation, so 200 tasks at the default concurrency take a minute or two (the faults land mid-run) and a full run stays within 15 minutes.
export const ANSWER = Array.from({ length: 12 }, (_, i) => `point${i}`).join(' ') + ': a complete, considered answer.'
const TOKEN_DELAY_MS = 40

const [kind = 'ollama', portArg, pidFile] = process.argv.slice(2)
// Port 0: the one in OLLAMA_HOST, as `ollama serve` reads it when the app's supervisor starts it.
const port =
  portArg && portArg !== '0'
    ? Number(portArg)
    : Number(new URL(`http://${process.env.OLLAMA_HOST ?? '127.0.0.1:0'}`).port)
let fault: Fault = 'none'

function rules(): FakeRule[] {
  const reply: FakeRule = {
    whenPromptContains: '',
    behaviour: { kind: 'reply', text: ANSWER, tokenDelayMs: TOKEN_DELAY_MS }
  }
  if (fault === 'error500')
    return [
      {
        whenPromptContains: '',
        behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated: exit status 2' }
      }
    ]
  if (fault === 'echo') return [{ whenPromptContains: '', behaviour: { kind: 'echo' } }]
  return [reply]
}

async function main(): Promise<void> {
  const model = { name: CHAOS_MODEL[kind === 'openai' ? 'openai' : 'ollama'], sizeBytes: 2_000_000_000 }
  const upstream =
    kind === 'openai'
      ? await startFakeOpenAi({ models: [model], rules: rules() })
      : await startFakeOllama({ models: [model], loaded: [model.name], rules: rules() })
  const target = new URL(upstream.url)
  const isGeneration = (url: string | undefined): boolean =>
    url === '/api/chat' || url === '/api/generate' || url === '/v1/chat/completions'

  /** Requests held while the server hangs; answered, late, once it recovers, as a server that was stuck does. */
  const held: (() => void)[] = []

  function forward(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const cut = fault === 'cut30' && isGeneration(req.url) && Math.random() < 0.3
    const upstreamReq = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        let chunks = 0
        answer.on('data', (chunk: Buffer) => {
          res.write(chunk)
          // A third of the way into the answer the connection drops, as when a runner dies mid-stream.
          if (cut && ++chunks === 8) {
            res.socket?.destroy()
            answer.destroy()
          }
        })
        answer.on('end', () => res.end())
        answer.on('error', () => res.destroy())
      }
    )
    upstreamReq.on('error', () => res.destroy())
    upstreamReq.end(body)
  }

  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('error', () => res.destroy())
    res.on('error', () => undefined)
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      if (req.method === 'POST' && req.url === '/__fault') {
        fault = (JSON.parse(body.toString()) as { fault: Fault }).fault
        upstream.setRules(rules())
        if (fault !== 'hang') for (const release of held.splice(0)) release()
        res.writeHead(204).end()
        return
      }
      if (fault === 'hang') held.push(() => forward(req, body, res))
      else forward(req, body, res)
    })
  })
  proxy.on('error', (error) => {
    process.stderr.write(`fault server: ${error.message}\n`)
    process.exit(1)
  })
  proxy.listen(port, '127.0.0.1', () => {
    try {
      if (pidFile) writeFileSync(pidFile, String(process.pid))
    } catch {
      // The run that wanted this server is gone (its folder removed): a late restart by a supervisor that was stopping.
      process.exit(0)
    }
    process.stdout.write(`listening ${port}\n`)
  })
}

void main()
