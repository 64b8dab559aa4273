// What the router and the contract transport add to a streamed answer.
//
// The fake Ollama server runs in a child process (bench/router-fake-server.ts), so its request
// parsing, JSON and token timers neither share this process's event loop nor add to its heap: what
// is left in here is the client side of each path. It notes when it writes each token on the
// machine's monotonic clock. "Direct" is the official ollama client (one client, reused, as a script
// would use it) straight to that server; every other path is timed against it: a token's latency
// is its arrival minus the moment it was written, TTFT is from sending the request to the first token.
//
// Router, paired: the same request through the router (with a caller's AbortSignal, as the app
// passes one), straight through the app's Ollama provider (no router), and direct, PAIRS times,
// interleaved in an order drawn afresh each round (seeded; `--seed N` draws a run's orders again),
// after WARM_UP rounds that are not counted. A second direct request in each round gives the A/A
// floor: what two identical direct requests differ by on this machine now, printed beside every
// figure. The percentiles are of the per-round differences, never differences of percentiles.
// Router − direct is the issue's figure; provider − direct is what the app's own HTTP client saves
// or costs against the official one, and router − provider what the router's logic alone adds, so a
// faster client cannot hide the router's cost. A fourth path, the same router over the official
// client as it was before (bench/router-before.ts), gives this change's before/after in the same
// rounds. "Before send" is the router's own time from the call
// to the moment it hands the request to the provider.
//
// The machine: on a shared 2-core machine the A/A floor's tail is other processes holding the CPUs
// (bench/router-sched.ts). Each request notes how long the bench's and the fake server's threads
// waited for a CPU, so the bench also reports the rounds where neither waited, and the CPU time the
// bench's thread spent per request, router against direct, which no such wait lengthens.
//
// Garbage: the bench reports what each arm allocates per request (heap growth from request start to
// end, median) and how often a GC pause fell inside each arm's first-token window, so a collection the
// router's garbage causes shows up where it lands. With --expose-gc (as `npm run bench:router` runs)
// the young generation is collected before every request of every arm alike (bench/router-gc.ts says
// why); `--gc` collects the full heap instead, `--no-gc` nothing.
//
// App, paired the same way over fewer rounds: `kos serve` routes a `models.chat` call to the fake
// server and pushes every token back over its WebSocket as a `models.chatToken` event.
//
// `--realtime` puts the bench's, the fake server's and the app's main threads (not the collector's
// helpers) at a real-time priority (chrt, where the user may) for a floor without the other processes' share of
// the CPUs in it: measured on 2 cores beside two other benches (load 3-4), the A/A floor's TTFT p99
// went from ~5 to ~1.6 ms, and to ~0.5 ms with the young generation collected before each request.
// In the app part the app's thread is watched for run-queue waits too.
//
//   npm run bench:router [-- --json] [-- --pairs N] [-- --seed N] [-- --no-app] [-- --gc | --no-gc] [-- --realtime]   (the app part needs `npm run build` first)
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Ollama } from 'ollama'
import { createModelStats } from '../src/main/models/model-stats'
import { createNodeRegistry, defaultProviderFactory } from '../src/main/models/node-registry'
import { createOllamaProvider } from '../src/main/models/ollama-provider'
import type { ModelProvider } from '../src/main/models/provider'
import { createRouter } from '../src/main/models/router'
import { memoryModelStore } from '../src/main/models/testing/memory-model-store'
import { testConfig } from '../src/main/models/testing/test-config'
import { startFakeServerProcess } from './router-fake-client'
import { mulberry32 } from '../src/main/knowledge/mulberry32'
import { withOfficialClientChat } from './router-before'
import { gcAccounting, type Window } from './router-gc'
import {
  pairedJson,
  pairedLines,
  pairedRounds,
  rounded,
  spread,
  summary,
  type Comparison,
  type Sample
} from './router-paired'
import { watchThreads } from './router-sched'
import { appChat, connectToApp, MODEL } from './router-app'

const repoRoot = resolve(__dirname, '..')
const json = process.argv.includes('--json')
const print = (line: string): void => void process.stdout.write(`${line}\n`)
const APP_PAIRS = 100
const TOKENS = 100
const TOKEN_DELAY_MS = 2
const PAIRS = process.argv.includes('--pairs') ? Number(process.argv[process.argv.indexOf('--pairs') + 1]) : 1000
const PAIRED_TOKENS = 20
const WARM_UP = 50
const SEED = process.argv.includes('--seed')
  ? Number(process.argv[process.argv.indexOf('--seed') + 1])
  : Date.now() % 2 ** 31
const withApp = !process.argv.includes('--no-app')

/** Puts each process's main thread at a real-time priority; says how it went. */
function realtime(pids: readonly number[]): string {
  try {
    for (const pid of pids) execFileSync('chrt', ['--fifo', '--pid', '10', String(pid)], { stdio: 'pipe' })
    return 'main threads at real-time priority (--realtime)'
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return `normal priority (--realtime refused: ${why})`
  }
}

async function main(): Promise<void> {
  const reply = (length: number, tokenDelayMs: number) => ({
    kind: 'reply' as const,
    text: Array.from({ length }, (_, i) => `tok${i}`).join(' '),
    tokenDelayMs
  })
  const fake = await startFakeServerProcess({
    models: [{ name: MODEL, sizeBytes: 2e9 }],
    loaded: [MODEL],
    rules: [
      { whenPromptContains: 'paired', behaviour: reply(PAIRED_TOKENS, 1) },
      { whenPromptContains: '', behaviour: reply(TOKENS, TOKEN_DELAY_MS) }
    ]
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
  const garbage = gcAccounting(
    process.argv.includes('--no-gc') ? 'nothing' : process.argv.includes('--gc') ? 'full heap' : 'young generation'
  )
  const appPids = host?.pid ? [host.pid] : []
  const routerThreads = watchThreads([process.pid, fake.pid])
  const appThreads = watchThreads([process.pid, fake.pid, ...appPids])
  let threads = routerThreads
  const priority = process.argv.includes('--realtime')
    ? realtime([process.pid, fake.pid, ...appPids])
    : 'normal priority'
  const loadAtStart = loadavg()[0]!
  try {
    const ws = host ? await connectToApp(host) : null

    const official = new Ollama({ host: fake.url })
    const windows: Window[] = []
    /** Runs one request; `arrive` is called as each token reaches this process. */
    const timed = async (
      arm: string,
      prompt: string,
      run: (arrive: () => void, start: number) => Promise<void>
    ): Promise<Sample> => {
      const arrivals: number[] = []
      const heapAtStart = garbage.beforeRequest()
      const atStart = threads.read()
      let atFirst = { waitedMs: NaN, cpuMs: NaN }
      const start = performance.now()
      await run(() => {
        arrivals.push(performance.now())
        // Read after the arrival is noted, in every arm alike: it delays only what follows the first token.
        if (arrivals.length === 1) atFirst = threads.read()
      }, start)
      const atEnd = threads.read()
      const heapGrowthBytes = garbage.heapNow() - heapAtStart
      const firstTokenMs = arrivals[0] ?? NaN
      windows.push({ arm, startMs: start, firstTokenMs, heapGrowthBytes })
      const [sent = []] = await fake.written([prompt])
      return {
        ttftMs: firstTokenMs - start,
        tokenLatenciesMs: arrivals.map((t, i) => t - (sent[i] ?? t)),
        ttftCpuMs: atFirst.cpuMs - atStart.cpuMs,
        perTokenCpuMs: (atEnd.cpuMs - atFirst.cpuMs) / Math.max(1, arrivals.length - 1),
        ttftWaitMs: atFirst.waitedMs - atStart.waitedMs,
        requestWaitMs: atEnd.waitedMs - atStart.waitedMs
      }
    }

    const directOnce = (arm: string, prompt: string): Promise<Sample> =>
      timed(arm, prompt, async (arrive) => {
        const stream = await official.chat({
          model: MODEL,
          messages: [{ role: 'user', content: prompt }],
          stream: true
        })
        for await (const part of stream) if (part.message.content) arrive()
      })
    // fetch sends no retry when it reuses a pooled connection the server has just closed as idle
    // ("other side closed" before any answer; seen once in a final run): that request is timed
    // again from its start, as a script would send it again, and counted.
    let directResent = 0
    const direct = (arm: string, prompt: string): Promise<Sample> =>
      directOnce(arm, prompt).catch((error: unknown) => {
        const cause = (error as { cause?: { code?: unknown } }).cause
        if (cause?.code !== 'UND_ERR_SOCKET') throw error
        directResent++
        return directOnce(arm, prompt)
      })

    // Notes when the router hands a request to the provider (which writes it as it is called), without adding a layer to the stream.
    let handedOverAt = 0
    const noteHandOver = (provider: ModelProvider): ModelProvider => ({
      ...provider,
      chat: (request) => {
        handedOverAt = performance.now()
        return provider.chat(request)
      }
    })
    const store = memoryModelStore()
    const config = testConfig({ 'ollama.apiUrl': fake.url, 'mlx.apiUrl': 'http://127.0.0.1:1' })
    const registry = createNodeRegistry({
      config,
      store,
      providerFactory: (kind, url, id) => noteHandOver(defaultProviderFactory(kind, url, id))
    })
    await registry.scan()
    const router = createRouter({ registry, stats: createModelStats(), config, preferences: () => store.preferences() })
    // The same router over the transport it had before (bench/router-before.ts): before/after in one run.
    const registryBefore = createNodeRegistry({
      config,
      store,
      providerFactory: (kind, url, id) => withOfficialClientChat(defaultProviderFactory(kind, url, id), url)
    })
    await registryBefore.scan()
    const routerBefore = createRouter({
      registry: registryBefore,
      stats: createModelStats(),
      config,
      preferences: () => store.preferences()
    })

    // The app's provider for the same node, called straight: the router's path without the router.
    const provider = createOllamaProvider(fake.url)
    const viaProvider = (arm: string, prompt: string): Promise<Sample> =>
      timed(arm, prompt, async (arrive) => {
        const stream = provider.chat({
          model: MODEL,
          messages: [{ role: 'user', content: prompt }],
          signal: new AbortController().signal,
          keepAlive: `${config.get('models.keepAliveMin')}m`
        })
        for await (const token of stream) {
          void token
          arrive()
        }
      })

    const beforeSend: number[] = []
    const viaRouter = (arm: string, prompt: string, through = router): Promise<Sample> =>
      timed(arm, prompt, async (arrive, start) => {
        const stream = through.chat([{ role: 'user', content: prompt }], {
          signal: new AbortController().signal,
          node: 'ollama-local',
          model: MODEL
        })
        let first = true
        for await (const token of stream) {
          void token
          arrive()
          if (first && through === router) beforeSend.push(handedOverAt - start)
          first = false
        }
      })

    const viaApp = (arm: string, prompt: string, id: number): Promise<Sample> => {
      if (!ws) throw new Error('the app is not running (--no-app)')
      return timed(arm, prompt, (arrive) => appChat(ws, prompt, id, arrive))
    }

    const random = mulberry32(SEED)
    const routerRun = await pairedRounds(PAIRS, WARM_UP, random, (i) => ({
      direct: () => direct(i < 0 ? 'warm-up' : 'direct', `paired d${i}`),
      measured: [
        () => viaRouter(i < 0 ? 'warm-up' : 'router', `paired r${i}`),
        () => viaProvider(i < 0 ? 'warm-up' : 'provider', `paired p${i}`),
        () => viaRouter(i < 0 ? 'warm-up' : 'before', `paired b${i}`, routerBefore)
      ],
      second: () => direct(i < 0 ? 'warm-up' : 'floor', `paired a${i}`)
    }))
    const routerComparisons: Comparison[] = [
      {
        label: "router − direct (the issue's overhead)",
        of: (r) => r.measured[0]!,
        against: (r) => r.direct,
        target: { ttft: 2, perToken: 1 }
      },
      {
        label: 'before: the same router on the official client − direct',
        of: (r) => r.measured[2]!,
        against: (r) => r.direct,
        target: { ttft: 2, perToken: 1 }
      },
      {
        label: 'router − before (this change, same rounds)',
        of: (r) => r.measured[0]!,
        against: (r) => r.measured[2]!
      },
      {
        label: "router − provider (the router's logic alone)",
        of: (r) => r.measured[0]!,
        against: (r) => r.measured[1]!
      },
      {
        label: "provider − direct (the app's HTTP client against the official one)",
        of: (r) => r.measured[1]!,
        against: (r) => r.direct
      }
    ]
    beforeSend.splice(0, beforeSend.length - PAIRS)
    const measured = windows.filter((w) => w.arm !== 'warm-up')
    const gcNote = `${garbage.collecting === 'nothing' ? 'no forced GC' : `the ${garbage.collecting} collected before every request`}, ${priority}`
    print(
      `Router in-process, the same router on the official client (before), the app's provider without the router, and direct (official ollama client): ${PAIRS} rounds of a ${PAIRED_TOKENS}-token answer (one token a ms), each round's order drawn at random (seed ${SEED}), after ${WARM_UP} warm-up rounds, fake server in a child process, ${gcNote}; per-round differences, ms; load average ${loadAtStart.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`
    )
    pairedLines(routerRun, routerComparisons, threads.available).forEach(print)
    print(`  router before send     ${spread(summary(beforeSend))}`)
    garbage.lines(measured).forEach(print)
    print(`  direct requests sent again after fetch reused a connection the server had closed: ${directResent}`)
    const result: Record<string, unknown> = {
      loadAverage: { start: Number(loadAtStart.toFixed(2)), end: Number(loadavg()[0]!.toFixed(2)) },
      forcedGc: garbage.collecting,
      seed: SEED,
      paired: {
        pairs: PAIRS,
        warmUp: WARM_UP,
        ...pairedJson(routerRun, routerComparisons),
        beforeSendMs: rounded(summary(beforeSend)),
        garbage: garbage.json(measured),
        directResent
      }
    }
    if (ws) {
      print('')
      windows.length = 0
      threads = appThreads
      const appRun = await pairedRounds(APP_PAIRS, 10, random, (i) => ({
        direct: () => direct(i < 0 ? 'warm-up' : 'direct', `app d${i}`),
        measured: [() => viaApp(i < 0 ? 'warm-up' : 'app', `app r${i}`, i)],
        second: () => direct(i < 0 ? 'warm-up' : 'floor', `app a${i}`)
      }))
      const appComparisons: Comparison[] = [
        { label: 'app − direct', of: (r) => r.measured[0]!, against: (r) => r.direct, target: { ttft: 5, perToken: 1 } }
      ]
      ws.close()
      print(
        `App (router + contract over WebSocket) vs direct, ${APP_PAIRS} rounds in random order of a ${TOKENS}-token answer (one token every ${TOKEN_DELAY_MS} ms); per-pair differences, ms; run-queue waits of the bench's, the fake server's and the app's main threads; load average ${loadavg()[0]!.toFixed(2)} at end`
      )
      pairedLines(appRun, appComparisons, appThreads.available).forEach(print)
      print(
        `  direct requests sent again after fetch reused a connection the server had closed, in all: ${directResent}`
      )
      result.app = { pairs: APP_PAIRS, ...pairedJson(appRun, appComparisons) }
    }
    if (json) print(JSON.stringify(result))
  } finally {
    garbage.stop()
    routerThreads.close()
    appThreads.close()
    host?.kill('SIGTERM')
    await fake.close()
    await new Promise((r) => setTimeout(r, 300))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

void main()
