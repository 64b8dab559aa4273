// Batching small tasks: model calls and wall time for the same small tasks
// run one call each, then batched ([RESULT_N]), through the task engine, the
// batching processor, the router and the Ollama provider, against the fake
// Ollama server.
//
// The fake server works like one GPU: it answers one call at a time, and each
// call costs a fixed overhead (request, prompt evaluation, scheduling) plus a
// time per answer it writes. Both runs use the same server, tasks and pool
// size; only batching.enabled differs. Every task's result is checked to be
// the answer to its own question. The node runs under a cap of model calls in
// flight (--node-cap, 1 by default as MLX's; 0 for none): a batch is one call.
//
//   npm run bench:batch [-- --json] [-- --tasks 200] [-- --overhead-ms 120] [-- --answer-ms 20] [-- --node-cap 1]
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { batchingProcessor } from '../src/main/batching/batching-processor'
import { createLogger } from '../src/main/log/logger'
import { createModelStats } from '../src/main/models/model-stats'
import { createNodeRegistry } from '../src/main/models/node-registry'
import { createRouter } from '../src/main/models/router'
import { startFakeOllama } from '../src/main/models/testing/fake-ollama-server'
import { memoryModelStore } from '../src/main/models/testing/memory-model-store'
import { testConfig } from '../src/main/models/testing/test-config'
import { createTasksEngine } from '../src/main/tasks/tasks-engine'
import { openTaskDb } from '../src/main/tasks/testing/task-db'

const argv = process.argv
const json = argv.includes('--json')
const numberArg = (name: string, def: number): number => {
  const i = argv.indexOf(name)
  const value = i >= 0 ? Number(argv[i + 1]) : def
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${argv[i + 1]}"`)
  return value
}
const TASKS = numberArg('--tasks', 200)
const OVERHEAD_MS = numberArg('--overhead-ms', 120)
const ANSWER_MS = numberArg('--answer-ms', 20)
const NODE_CAP = numberArg('--node-cap', 1)
const POOL = 8
const MODEL = 'llama3.2:3b'
const print = (line: string): void => void process.stdout.write(`${line}\n`)

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const answerTo = (question: string): string => `The answer to “${question}”: a short, complete definition.`

/** One GPU: calls wait their turn; each costs the overhead plus a time per answer. */
function fakeGpu() {
  let queue: Promise<void> = Promise.resolve()
  let generations = 0
  return {
    generations: () => generations,
    answer(prompt: string): Promise<string> {
      const asked = [...prompt.matchAll(/^Task (\d+): (.*)$/gm)]
      const text =
        asked.length === 0
          ? answerTo(prompt.split('\n')[0] ?? '')
          : asked.map((m) => `[RESULT_${m[1]}]${answerTo(m[2] ?? '')}[/RESULT_${m[1]}]`).join('\n')
      const turn = queue.then(async () => {
        generations++
        await sleep(OVERHEAD_MS + ANSWER_MS * Math.max(1, asked.length))
      })
      queue = turn
      return turn.then(() => text)
    }
  }
}

interface RunResult {
  readonly batched: boolean
  readonly tasks: number
  readonly modelCalls: number
  readonly wallMs: number
  readonly completed: number
  readonly ownAnswers: number
}

async function run(batched: boolean): Promise<RunResult> {
  const gpu = fakeGpu()
  const ollama = await startFakeOllama({
    loaded: [MODEL],
    rules: [{ whenPromptContains: '', behaviour: { kind: 'compute', answer: (p) => gpu.answer(p) } }]
  })
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-batch-'))
  const db = openTaskDb(join(dir, 'kos.db'), resolve(__dirname, '..'))
  const config = testConfig({
    'ollama.apiUrl': ollama.url,
    'mlx.apiUrl': 'http://127.0.0.1:9',
    'worker.maxConcurrency': POOL,
    'worker.minConcurrency': POOL,
    'worker.retryDelaySec': 0
  })
  const store = memoryModelStore()
  const registry = createNodeRegistry({ config, store })
  await registry.scan()
  const router = createRouter({ registry, stats: createModelStats(), config, preferences: () => store.preferences() })
  const processor = batchingProcessor(router, {
    settings: () => ({ enabled: batched, maxTasks: POOL, maxTaskTokens: 300, maxBatchTokens: 1500, windowMs: 50 })
  })
  let finished = 0
  let allDone: () => void = () => undefined
  const done = new Promise<void>((r) => (allDone = r))
  const { logger } = createLogger({ write: () => undefined }, 'error')
  const engine = createTasksEngine({
    db,
    config,
    log: logger,
    processor,
    publish: (events) => {
      for (const e of events) if ((e.kind === 'completed' || e.kind === 'deferred') && ++finished === TASKS) allDone()
    },
    publishConcurrency: () => undefined,
    machine: () => ({ cpuLoad: 0.1, freeMemoryRatio: 0.5 }),
    backendLimits: {
      of: () => ({ heavy: POOL, total: NODE_CAP > 0 ? NODE_CAP : null }),
      capacity: () => (NODE_CAP > 0 ? NODE_CAP : null),
      tasksPerCall: () => (batched ? POOL : 1)
    }
  })
  try {
    const ids: string[] = []
    // Queue every task first, so both runs start from the same full queue.
    for (let i = 0; i < TASKS; i++) {
      const created = await engine.create({
        title: `Define term ${i + 1} of the finance glossary`,
        description: 'One sentence.',
        domain: 'finance'
      })
      if (!created.ok) throw new Error(`task ${i + 1} not created: ${created.reason}`)
      ids.push(created.task.id)
    }
    const started = performance.now()
    engine.start()
    await done
    const wallMs = performance.now() - started
    let completed = 0
    let ownAnswers = 0
    for (const id of ids) {
      const task = engine.store.get(id)
      if (task?.status === 'completed') completed++
      if (task && task.result === answerTo(task.title)) ownAnswers++
    }
    return { batched, tasks: TASKS, modelCalls: gpu.generations(), wallMs, completed, ownAnswers }
  } finally {
    await engine.stop()
    registry.stop()
    db.close()
    await ollama.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const single = await run(false)
  const batched = await run(true)
  const report = {
    tasks: TASKS,
    pool: POOL,
    nodeCap: NODE_CAP > 0 ? NODE_CAP : null,
    fakeServer: { overheadMsPerCall: OVERHEAD_MS, msPerAnswer: ANSWER_MS, oneCallAtATime: true },
    single,
    batched,
    ratios: {
      modelCalls: batched.modelCalls / single.modelCalls,
      wallTime: batched.wallMs / single.wallMs
    },
    loadavg1m: loadavg()[0] ?? 0
  }
  if (json) return print(JSON.stringify(report))
  print(
    `${TASKS} small finance tasks, pool ${POOL}, ${NODE_CAP > 0 ? `node capped at ${NODE_CAP} model call(s) in flight` : 'node uncapped'}; fake Ollama: one call at a time, ${OVERHEAD_MS} ms per call + ${ANSWER_MS} ms per answer`
  )
  print('mode      model calls   wall time   completed   own answer')
  for (const r of [single, batched])
    print(
      `${(r.batched ? 'batched' : 'one each').padEnd(9)} ${String(r.modelCalls).padStart(11)}   ${(r.wallMs / 1000).toFixed(1).padStart(7)} s   ${String(r.completed).padStart(9)}   ${String(r.ownAnswers).padStart(10)}`
    )
  print(
    `batched / one each: calls ×${report.ratios.modelCalls.toFixed(2)}, wall time ×${report.ratios.wallTime.toFixed(2)} (load ${report.loadavg1m.toFixed(1)})`
  )
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
