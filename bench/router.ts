// What the router and the contract transport add to a streamed answer.
//
// One fake Ollama server runs in this process and notes when it writes each
// token. The same answer is then read (a) directly from it with the Ollama
// provider, and (b) through the built app: `kos serve` routes a `models.chat`
// call to the fake server and pushes every token back over its WebSocket as a
// `models.chatToken` event. Both are timed on this process's clock, so each
// token's latency is arrival minus the moment it was written; TTFT is from
// sending the request to the first token. Overhead = (b) − (a), per percentile.
//
//   npm run bench:router [-- --json]      (needs `npx electron-vite build` first)
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { WebSocket } from 'ws'
import { createModelStats } from '../src/main/models/model-stats'
import { createNodeRegistry } from '../src/main/models/node-registry'
import { createOllamaProvider } from '../src/main/models/ollama-provider'
import { createRouter } from '../src/main/models/router'
import { startFakeOllama } from '../src/main/models/testing/fake-ollama-server'
import { memoryModelStore } from '../src/main/models/testing/memory-model-store'
import { testConfig } from '../src/main/models/testing/test-config'

const repoRoot = resolve(__dirname, '..')
const json = process.argv.includes('--json')
const print = (line: string): void => void process.stdout.write(`${line}\n`)
const RUNS = 60
const TOKENS = 100
const TOKEN_DELAY_MS = 2
const MODEL = 'llama3.2:3b'

interface Sample {
  ttftMs: number
  tokenLatenciesMs: number[]
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
}

async function main(): Promise<void> {
  const written = new Map<string, number[]>()
  const fake = await startFakeOllama({
    models: [{ name: MODEL, sizeBytes: 2e9 }],
    loaded: [MODEL],
    rules: [{ whenPromptContains: '', behaviour: { kind: 'reply', text: Array.from({ length: TOKENS }, (_, i) => `tok${i}`).join(' '), tokenDelayMs: TOKEN_DELAY_MS } }],
    onTokenWritten: (prompt, index) => {
      let list = written.get(prompt)
      if (!list) written.set(prompt, (list = []))
      list[index] = performance.now()
    }
  })
  const dataDir = mkdtempSync(join(tmpdir(), 'kos-bench-router-'))
  const host = spawn(process.execPath, [join(repoRoot, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KOS_DATA_DIR: '', KOS_OLLAMA_API_URL: fake.url, KOS_MLX_API_URL: 'http://127.0.0.1:9', KOS_SUPERVISOR_OLLAMA: 'off', KOS_SUPERVISOR_MLX: 'off' }
  })
  try {
    const started = JSON.parse(await new Promise<string>((res) => createInterface({ input: host.stdout! }).once('line', res))) as { url: string; origin: string }
    const token = new URL(started.url).searchParams.get('token') ?? ''
    const ws = new WebSocket(`${started.origin.replace('http', 'ws')}/rpc`, { headers: { Authorization: `Bearer ${token}` } })
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res())
      ws.once('error', rej)
    })
    // Wait until the app has scanned the fake node.
    for (let i = 0; i < 100; i++) {
      const listed = await fetch(`${started.origin}/api/call/models.list`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })
      const body = (await listed.json()) as { value?: { nodes: { id: string; state: string }[] } }
      if (body.value?.nodes.find((n) => n.id === 'ollama-local')?.state === 'up') break
      await new Promise((r) => setTimeout(r, 100))
    }

    const provider = createOllamaProvider(fake.url)
    const latencies = (prompt: string, arrivals: number[]): number[] => {
      const sent = written.get(prompt) ?? []
      return arrivals.map((t, i) => t - (sent[i] ?? t))
    }

    async function direct(prompt: string): Promise<Sample> {
      const start = performance.now()
      const arrivals: number[] = []
      for await (const piece of provider.chat({ model: MODEL, messages: [{ role: 'user', content: prompt }], signal: new AbortController().signal })) {
        void piece
        arrivals.push(performance.now())
      }
      return { ttftMs: (arrivals[0] ?? NaN) - start, tokenLatenciesMs: latencies(prompt, arrivals) }
    }

    const store = memoryModelStore()
    const registry = createNodeRegistry({ config: testConfig({ 'ollama.apiUrl': fake.url, 'mlx.apiUrl': 'http://127.0.0.1:1' }), store })
    await registry.scan()
    const router = createRouter({ registry, stats: createModelStats(), config: testConfig({ 'ollama.apiUrl': fake.url, 'mlx.apiUrl': 'http://127.0.0.1:1' }), preferences: () => store.preferences() })

    async function viaRouter(prompt: string): Promise<Sample> {
      const start = performance.now()
      const arrivals: number[] = []
      for await (const piece of router.chat([{ role: 'user', content: prompt }], { node: 'ollama-local', model: MODEL })) {
        void piece
        arrivals.push(performance.now())
      }
      return { ttftMs: (arrivals[0] ?? NaN) - start, tokenLatenciesMs: latencies(prompt, arrivals) }
    }

    async function viaApp(prompt: string, id: number): Promise<Sample> {
      const arrivals: number[] = []
      let requestId = ''
      const start = performance.now()
      await new Promise<void>((res, rej) => {
        const onMessage = (data: Buffer): void => {
          const frame = JSON.parse(data.toString()) as { type: string; id?: string; name?: string; result?: { ok: boolean; value?: { requestId: string }; error?: { message: string } }; payload?: { requestId: string; ok?: boolean; error?: string } }
          if (frame.type === 'result' && frame.id === String(id)) {
            if (!frame.result?.ok) return rej(new Error(frame.result?.error?.message ?? 'call failed'))
            requestId = frame.result.value?.requestId ?? ''
          } else if (frame.type === 'event' && frame.name === 'models.chatToken') {
            arrivals.push(performance.now())
          } else if (frame.type === 'event' && frame.name === 'models.chatDone' && frame.payload?.requestId === requestId) {
            ws.off('message', onMessage)
            if (frame.payload.ok) res()
            else rej(new Error(frame.payload.error ?? 'chat failed'))
          }
        }
        ws.on('message', onMessage)
        ws.send(JSON.stringify({ type: 'call', id: String(id), name: 'models.chat', input: { messages: [{ role: 'user', content: prompt }], node: 'ollama-local', model: MODEL } }))
      })
      return { ttftMs: (arrivals[0] ?? NaN) - start, tokenLatenciesMs: latencies(prompt, arrivals) }
    }

    const directSamples: Sample[] = []
    const routerSamples: Sample[] = []
    const appSamples: Sample[] = []
    for (let i = 0; i < 10; i++) {
      await direct(`warm-up direct ${i}`)
      await viaRouter(`warm-up router ${i}`)
      await viaApp(`warm-up app ${i}`, 1000 + i)
    }
    for (let i = 0; i < RUNS; i++) {
      directSamples.push(await direct(`direct run ${i}`))
      routerSamples.push(await viaRouter(`router run ${i}`))
      appSamples.push(await viaApp(`app run ${i}`, i))
    }
    ws.close()

    const row = (name: string, d: number[], a: number[]): { p50: number; p99: number } => {
      const r = { p50: percentile(a, 50) - percentile(d, 50), p99: percentile(a, 99) - percentile(d, 99) }
      print(
        `${name.padEnd(34)} ${percentile(d, 50).toFixed(3).padStart(8)} ${percentile(d, 99).toFixed(3).padStart(8)} ${percentile(a, 50).toFixed(3).padStart(8)} ${percentile(a, 99).toFixed(3).padStart(8)} ${r.p50.toFixed(3).padStart(9)} ${r.p99.toFixed(3).padStart(9)}`
      )
      return r
    }
    const ttftOf = (xs: Sample[]): number[] => xs.map((x) => x.ttftMs)
    const tokensOf = (xs: Sample[]): number[] => xs.flatMap((x) => x.tokenLatenciesMs)
    print(`Streamed answer of ${TOKENS} tokens, one every ${TOKEN_DELAY_MS} ms, ${RUNS} runs each; ms. Direct = Ollama provider straight to the server.`)
    print('                                     direct            measured           overhead')
    print('measure                                 p50      p99      p50      p99       p50       p99')
    row('TTFT, router in-process', ttftOf(directSamples), ttftOf(routerSamples))
    row('per-token, router in-process', tokensOf(directSamples), tokensOf(routerSamples))
    const ttft = row('TTFT, router + contract over WS', ttftOf(directSamples), ttftOf(appSamples))
    const perToken = row('per-token, router + contract over WS', tokensOf(directSamples), tokensOf(appSamples))
    print('targets: TTFT overhead < 5 ms, per-token overhead < 1 ms')
    if (json) {
      const round = (r: { p50: number; p99: number }) => ({ p50: Number(r.p50.toFixed(3)), p99: Number(r.p99.toFixed(3)) })
      print(JSON.stringify({ ttftOverheadMs: round(ttft), perTokenOverheadMs: round(perToken) }))
    }
  } finally {
    host.kill('SIGTERM')
    await fake.close()
    await new Promise((r) => setTimeout(r, 300))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

void main()
