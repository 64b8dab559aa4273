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
// Then the router alone, paired: the same request through the router and
// straight to the fake server, interleaved (which goes first alternates),
// PAIRS times; each pair gives a TTFT difference and, token by token, a
// latency difference, and the percentiles are of those differences.
//
//   npm run bench:router [-- --json] [-- --pairs N] [-- --no-app]   (the app part needs `npm run build` first)
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
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
const PAIRS = process.argv.includes('--pairs') ? Number(process.argv[process.argv.indexOf('--pairs') + 1]) : 1000
const PAIRED_TOKENS = 20
const withApp = !process.argv.includes('--no-app')

interface Sample {
  ttftMs: number
  tokenLatenciesMs: number[]
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
}

/** Waits for `kos serve` to print its address, connects its WebSocket, and waits until it has scanned the fake node. */
async function connectToApp(host: ChildProcess): Promise<WebSocket> {
  const started = JSON.parse(
    await new Promise<string>((res) => createInterface({ input: host.stdout! }).once('line', res))
  ) as { url: string; origin: string }
  const token = new URL(started.url).searchParams.get('token') ?? ''
  const ws = new WebSocket(`${started.origin.replace('http', 'ws')}/rpc`, {
    headers: { Authorization: `Bearer ${token}` }
  })
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res())
    ws.once('error', rej)
  })
  for (let i = 0; i < 100; i++) {
    const listed = await fetch(`${started.origin}/api/call/models.list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}'
    })
    const body = (await listed.json()) as { value?: { nodes: { id: string; state: string }[] } }
    if (body.value?.nodes.find((n) => n.id === 'ollama-local')?.state === 'up') break
    await new Promise((r) => setTimeout(r, 100))
  }
  return ws
}

async function main(): Promise<void> {
  const written = new Map<string, number[]>()
  const fake = await startFakeOllama({
    models: [{ name: MODEL, sizeBytes: 2e9 }],
    loaded: [MODEL],
    rules: [
      {
        whenPromptContains: 'paired',
        behaviour: {
          kind: 'reply',
          text: Array.from({ length: PAIRED_TOKENS }, (_, i) => `tok${i}`).join(' '),
          tokenDelayMs: 1
        }
      },
      {
        whenPromptContains: '',
        behaviour: {
          kind: 'reply',
          text: Array.from({ length: TOKENS }, (_, i) => `tok${i}`).join(' '),
          tokenDelayMs: TOKEN_DELAY_MS
        }
      }
    ],
    onTokenWritten: (prompt, index) => {
      let list = written.get(prompt)
      if (!list) written.set(prompt, (list = []))
      list[index] = performance.now()
    }
  })
  const dataDir = mkdtempSync(join(tmpdir(), 'kos-bench-router-'))
  const host = withApp
    ? spawn(
        process.execPath,
        [join(repoRoot, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: {
            ...process.env,
            KOS_DATA_DIR: '',
            KOS_OLLAMA_API_URL: fake.url,
            KOS_MLX_API_URL: 'http://127.0.0.1:9',
            KOS_SUPERVISOR_OLLAMA: 'off',
            KOS_SUPERVISOR_MLX: 'off'
          }
        }
      )
    : null
  host?.on('error', (error) => process.stderr.write(`kos serve: ${error.message}\n`))
  try {
    const ws = host ? await connectToApp(host) : null

    const provider = createOllamaProvider(fake.url)
    const latencies = (prompt: string, arrivals: number[]): number[] => {
      const sent = written.get(prompt) ?? []
      return arrivals.map((t, i) => t - (sent[i] ?? t))
    }

    async function direct(prompt: string): Promise<Sample> {
      const start = performance.now()
      const arrivals: number[] = []
      for await (const piece of provider.chat({
        model: MODEL,
        messages: [{ role: 'user', content: prompt }],
        signal: new AbortController().signal
      })) {
        void piece
        arrivals.push(performance.now())
      }
      return { ttftMs: (arrivals[0] ?? NaN) - start, tokenLatenciesMs: latencies(prompt, arrivals) }
    }

    const store = memoryModelStore()
    const registry = createNodeRegistry({
      config: testConfig({ 'ollama.apiUrl': fake.url, 'mlx.apiUrl': 'http://127.0.0.1:1' }),
      store
    })
    await registry.scan()
    const router = createRouter({
      registry,
      stats: createModelStats(),
      config: testConfig({ 'ollama.apiUrl': fake.url, 'mlx.apiUrl': 'http://127.0.0.1:1' }),
      preferences: () => store.preferences()
    })

    async function viaRouter(prompt: string): Promise<Sample> {
      const start = performance.now()
      const arrivals: number[] = []
      for await (const piece of router.chat([{ role: 'user', content: prompt }], {
        node: 'ollama-local',
        model: MODEL
      })) {
        void piece
        arrivals.push(performance.now())
      }
      return { ttftMs: (arrivals[0] ?? NaN) - start, tokenLatenciesMs: latencies(prompt, arrivals) }
    }

    async function viaApp(prompt: string, id: number): Promise<Sample> {
      if (!ws) throw new Error('the app is not running (--no-app)')
      const arrivals: number[] = []
      let requestId = ''
      const start = performance.now()
      await new Promise<void>((res, rej) => {
        const onMessage = (data: Buffer): void => {
          const frame = JSON.parse(data.toString()) as {
            type: string
            id?: string
            name?: string
            result?: { ok: boolean; value?: { requestId: string }; error?: { message: string } }
            payload?: { requestId: string; ok?: boolean; error?: string }
          }
          if (frame.type === 'result' && frame.id === String(id)) {
            if (!frame.result?.ok) return rej(new Error(frame.result?.error?.message ?? 'call failed'))
            requestId = frame.result.value?.requestId ?? ''
          } else if (frame.type === 'event' && frame.name === 'models.chatToken') {
            arrivals.push(performance.now())
          } else if (
            frame.type === 'event' &&
            frame.name === 'models.chatDone' &&
            frame.payload?.requestId === requestId
          ) {
            ws.off('message', onMessage)
            if (frame.payload.ok) res()
            else rej(new Error(frame.payload.error ?? 'chat failed'))
          }
        }
        ws.on('message', onMessage)
        ws.send(
          JSON.stringify({
            type: 'call',
            id: String(id),
            name: 'models.chat',
            input: { messages: [{ role: 'user', content: prompt }], node: 'ollama-local', model: MODEL }
          })
        )
      })
      return { ttftMs: (arrivals[0] ?? NaN) - start, tokenLatenciesMs: latencies(prompt, arrivals) }
    }

    // Paired: router vs direct on the same request, interleaved, order alternating.
    const pairedTtft: number[] = []
    const pairedToken: number[] = []
    for (let i = 0; i < 20; i++) {
      await direct(`paired warm-up d${i}`)
      await viaRouter(`paired warm-up r${i}`)
    }
    for (let i = 0; i < PAIRS; i++) {
      const routerFirst = i % 2 === 1
      const a = routerFirst ? await viaRouter(`paired r${i}`) : await direct(`paired d${i}`)
      const b = routerFirst ? await direct(`paired d${i}`) : await viaRouter(`paired r${i}`)
      const [d, r] = routerFirst ? [b, a] : [a, b]
      pairedTtft.push(r.ttftMs - d.ttftMs)
      r.tokenLatenciesMs.forEach((ms, k) => pairedToken.push(ms - (d.tokenLatenciesMs[k] ?? ms)))
    }
    const paired = {
      ttft: { p50: percentile(pairedTtft, 50), p99: percentile(pairedTtft, 99) },
      perToken: { p50: percentile(pairedToken, 50), p99: percentile(pairedToken, 99) }
    }
    print(
      `Router in-process vs direct, ${PAIRS} interleaved pairs of a ${PAIRED_TOKENS}-token answer (one token a ms); paired differences, ms; load average ${loadavg()[0]!.toFixed(1)}`
    )
    print(
      `  TTFT overhead      p50 ${paired.ttft.p50.toFixed(3)}   p99 ${paired.ttft.p99.toFixed(3)}   (target p99 < 2)`
    )
    print(
      `  per-token overhead p50 ${paired.perToken.p50.toFixed(3)}   p99 ${paired.perToken.p99.toFixed(3)}   (target p99 < 1)`
    )
    const round = (r: { p50: number; p99: number }) => ({
      p50: Number(r.p50.toFixed(3)),
      p99: Number(r.p99.toFixed(3))
    })
    if (!withApp) {
      if (json)
        print(
          JSON.stringify({
            paired: { pairs: PAIRS, ttftOverheadMs: round(paired.ttft), perTokenOverheadMs: round(paired.perToken) }
          })
        )
      return
    }
    print('')

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
    ws?.close()

    const row = (name: string, d: number[], a: number[]): { p50: number; p99: number } => {
      const r = { p50: percentile(a, 50) - percentile(d, 50), p99: percentile(a, 99) - percentile(d, 99) }
      print(
        `${name.padEnd(34)} ${percentile(d, 50).toFixed(3).padStart(8)} ${percentile(d, 99).toFixed(3).padStart(8)} ${percentile(a, 50).toFixed(3).padStart(8)} ${percentile(a, 99).toFixed(3).padStart(8)} ${r.p50.toFixed(3).padStart(9)} ${r.p99.toFixed(3).padStart(9)}`
      )
      return r
    }
    const ttftOf = (xs: Sample[]): number[] => xs.map((x) => x.ttftMs)
    const tokensOf = (xs: Sample[]): number[] => xs.flatMap((x) => x.tokenLatenciesMs)
    print(
      `Streamed answer of ${TOKENS} tokens, one every ${TOKEN_DELAY_MS} ms, ${RUNS} runs each; ms. Direct = Ollama provider straight to the server.`
    )
    print('                                     direct            measured           overhead')
    print('measure                                 p50      p99      p50      p99       p50       p99')
    row('TTFT, router in-process', ttftOf(directSamples), ttftOf(routerSamples))
    row('per-token, router in-process', tokensOf(directSamples), tokensOf(routerSamples))
    const ttft = row('TTFT, router + contract over WS', ttftOf(directSamples), ttftOf(appSamples))
    const perToken = row('per-token, router + contract over WS', tokensOf(directSamples), tokensOf(appSamples))
    print('targets: TTFT overhead < 5 ms, per-token overhead < 1 ms')
    if (json) {
      print(
        JSON.stringify({
          paired: { pairs: PAIRS, ttftOverheadMs: round(paired.ttft), perTokenOverheadMs: round(paired.perToken) },
          app: { ttftOverheadMs: round(ttft), perTokenOverheadMs: round(perToken) }
        })
      )
    }
  } finally {
    host?.kill('SIGTERM')
    await fake.close()
    await new Promise((r) => setTimeout(r, 300))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

void main()
