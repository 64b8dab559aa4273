import { afterEach, describe, expect, it } from 'vitest'
import { ProcessingError, type TaskForProcessing } from '../ports/task-processor'
import { createCircuitBoard } from './circuit-board'
import { createModelStats } from './model-stats'
import { createNodeRegistry } from './node-registry'
import { createRouter, type Router } from './router'
import type { FakeHttp } from './testing/fake-http'
import { startFakeOllama, type FakeOllama } from './testing/fake-ollama-server'
import { startFakeOpenAi } from './testing/fake-openai-server'
import type { FakeBehaviour, FakeModel } from './testing/fake-script'
import { memoryModelStore } from './testing/memory-model-store'
import { testConfig } from './testing/test-config'

const servers: FakeHttp[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const MODEL = 'llama3.2:3b'
const always = (behaviour: FakeBehaviour) => [{ whenPromptContains: '', behaviour }]
let taskNo = 0
const task = (title = `Summarise report ${++taskNo} for the board`): TaskForProcessing => ({
  id: `t${taskNo}`,
  title,
  description: '',
  domain: null,
  priority: 'normal',
  assigneeExpert: null,
  preferredBackend: null,
  preferredModel: null,
  correlationId: `c${taskNo}`
})
const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined })

/** One Ollama node (ollama-local) on a fake, a router whose circuits run on a clock the test moves. */
async function single(behaviour: FakeBehaviour | null, opts: { models?: FakeModel[]; timeoutSec?: number } = {}) {
  const server = await startFakeOllama({
    models: opts.models ?? [{ name: MODEL, sizeBytes: 2e9 }],
    loaded: (opts.models ?? [{ name: MODEL }]).map((m) => m.name),
    rules: behaviour ? always(behaviour) : []
  })
  servers.push(server)
  const config = testConfig({
    'ollama.apiUrl': server.url,
    'mlx.apiUrl': 'http://127.0.0.1:9',
    'llm.requestTimeoutSec': opts.timeoutSec ?? 5,
    'models.circuitMinRequests': 4
  })
  const clock = { now: Date.parse('2026-12-01T14:02:00') }
  const circuits = createCircuitBoard({ config, now: () => clock.now })
  const registry = createNodeRegistry({ config, store: memoryModelStore() })
  await registry.scan()
  const router = createRouter({ registry, stats: createModelStats(), config, preferences: () => new Map(), circuits })
  return { server, config, clock, circuits, registry, router }
}

async function run(router: Router, t = task()): Promise<string | ProcessingError> {
  try {
    return await router.process(t, router.plan(t), ctx())
  } catch (error) {
    if (error instanceof ProcessingError) return error
    throw error
  }
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
  expect(check()).toBe(true)
}

const generations = (server: FakeOllama): number => server.requests.filter((r) => r.startsWith('POST /api/chat')).length

describe('router circuits against a fake Ollama', () => {
  it('opens on a server that lists its models but answers 500 “llama runner process has terminated” to every generation, blames the backend, and stops planning on it', async () => {
    const { server, router, circuits } = await single({
      kind: 'error',
      status: 500,
      message: 'llama runner process has terminated: exit status 2'
    })
    for (let i = 0; i < 4; i++) {
      const e = await run(router)
      expect(e).toBeInstanceOf(ProcessingError)
      expect(e).toMatchObject({ type: 'runner_terminated', blame: 'backend' })
    }
    expect(circuits.open()).toMatchObject([
      { node: 'ollama-local', model: MODEL, state: 'open', kind: 'runner_terminated' }
    ])
    const [open] = circuits.open()
    expect(open?.reason).toBe(
      'ollama-local (llama3.2:3b): 500 “llama runner process has terminated: exit status 2” on 4 of the last 4 generations since 14:02'
    )
    const sent = generations(server)
    let refused: unknown
    try {
      router.plan(task())
    } catch (error) {
      refused = error
    }
    expect(refused).toBeInstanceOf(ProcessingError)
    expect(refused).toMatchObject({ type: 'runner_terminated', blame: 'backend', retryAfterMs: 1000 })
    expect((refused as Error).message).toContain(
      'circuit open for ollama-local (llama3.2:3b): 500 “llama runner process has terminated'
    )
    expect(generations(server)).toBe(sent)
  })

  it('probes with one tiny real generation when due, backs off while it fails, and closes on the first success', async () => {
    const { server, router, circuits, clock } = await single({
      kind: 'error',
      status: 500,
      message: 'llama runner process has terminated'
    })
    for (let i = 0; i < 4; i++) await run(router)
    const sent = generations(server)
    await router.probeCircuits()
    expect(generations(server)).toBe(sent) // not due yet: the clock has not moved
    clock.now += 1000
    await router.probeCircuits()
    expect(generations(server)).toBe(sent + 1)
    expect(circuits.open()[0]).toMatchObject({
      state: 'open',
      lastProbe: { failure: '500 “llama runner process has terminated”' },
      nextProbeAt: clock.now + 2000
    })
    clock.now += 1999
    await router.probeCircuits()
    expect(generations(server)).toBe(sent + 1)
    server.setRules([])
    clock.now += 1
    await router.probeCircuits()
    expect(circuits.open()).toEqual([])
    expect(router.plan(task())).toMatchObject({ backend: 'ollama-local', model: MODEL })
    expect(await run(router)).toMatch(/^Answer from llama3\.2:3b/)
  })

  it('quarantines a server that echoes every prompt as echo, and calls one echoed prompt the task’s own while the model answers others', async () => {
    const echoing = await single({ kind: 'echo' })
    for (let i = 0; i < 4; i++) expect(await run(echoing.router)).toMatchObject({ type: 'echo', blame: 'backend' })
    expect(echoing.circuits.open()[0]?.reason).toMatch(/echo of the prompt on 4 of the last 4 generations/)

    const healthy = await single(null)
    healthy.server.setRules([{ whenPromptContains: 'Repeat after me', behaviour: { kind: 'echo' } }])
    expect(await run(healthy.router)).toMatch(/^Answer from/)
    expect(await run(healthy.router, task('Repeat after me: the quarterly numbers are final'))).toMatchObject({
      type: 'echo',
      blame: 'task'
    })
    expect(healthy.circuits.open()).toEqual([])
  })

  it('reports an answer cut mid-stream as stream_interrupted, the backend’s failure, never “unreachable”', async () => {
    const { router, registry } = await single({ kind: 'cut', afterTokens: 3 })
    const e = await run(router)
    expect(e).toMatchObject({ type: 'stream_interrupted', blame: 'backend' })
    expect((e as Error).message).not.toMatch(/unreachable/)
    expect(registry.status('ollama-local').state).toBe('up')
  })

  it('calls out-of-memory only with out-of-memory evidence', async () => {
    const oom = await single({
      kind: 'stream_error',
      afterTokens: 1,
      message: 'ggml_metal_graph_compute: command buffer 0 failed with status 5 (Insufficient Memory)'
    })
    expect(await run(oom.router)).toMatchObject({ type: 'oom_or_metal', blame: 'backend' })
    const runner = await single({
      kind: 'error',
      status: 500,
      message: 'llama runner process has terminated: signal: killed'
    })
    expect(await run(runner.router)).toMatchObject({ type: 'runner_terminated' })
  })

  it('opens when every run times out, and calls one slow task its own while the model answers others', async () => {
    const hung = await single({ kind: 'hang' }, { timeoutSec: 1 })
    for (let i = 0; i < 4; i++) expect(await run(hung.router)).toMatchObject({ type: 'timeout', blame: 'backend' })
    expect(hung.circuits.open()[0]).toMatchObject({ kind: 'timeout' })

    const slowOne = await single(null, { timeoutSec: 1 })
    slowOne.server.setRules([{ whenPromptContains: 'Write the whole encyclopedia', behaviour: { kind: 'hang' } }])
    expect(await run(slowOne.router)).toMatch(/^Answer from/)
    expect(await run(slowOne.router, task('Write the whole encyclopedia'))).toMatchObject({
      type: 'timeout',
      blame: 'task'
    })
  })

  it('gives its verdict on a hung request before the worker’s own deadline (the same setting) stops the run', async () => {
    const { router } = await single({ kind: 'hang' }, { timeoutSec: 2 })
    const t = task()
    // The worker aborts the run's signal at llm.requestTimeoutSec from its claim.
    const workerDeadline = AbortSignal.timeout(2000)
    const e = await router.process(t, router.plan(t), { signal: workerDeadline, progress: () => undefined }).then(
      () => null,
      (x: unknown) => x
    )
    expect(workerDeadline.aborted).toBe(false)
    // The shared deadline or the attempt's first-token window, whichever timer the busy machine fires first.
    expect(e).toMatchObject({
      type: 'timeout',
      blame: 'backend',
      message: expect.stringMatching(
        /no complete answer within 2 s \(llm\.requestTimeoutSec\)|no first token within/
      ) as string
    })
  })

  it('keeps the task’s own failure a task failure: a 4xx refusal of the request itself', async () => {
    const { router } = await single({
      kind: 'error',
      status: 400,
      message: 'the input length exceeds the context length'
    })
    expect(await run(router)).toMatchObject({ type: 'other', blame: 'task' })
  })
})

describe('fast failure detection', () => {
  it('marks the node down when a probe finds it refusing connections', async () => {
    const { server, router, registry, clock } = await single({
      kind: 'error',
      status: 500,
      message: 'llama runner process has terminated'
    })
    for (let i = 0; i < 4; i++) await run(router)
    await server.close()
    clock.now += 1000
    await router.probeCircuits()
    expect(registry.status('ollama-local')).toMatchObject({
      state: 'down',
      error: expect.stringMatching(/is unreachable/) as string
    })
  })

  it('probes the open circuits of a server seen coming back at once, not at their backoff', async () => {
    const { server, router, circuits, registry, clock } = await single({
      kind: 'error',
      status: 500,
      message: 'llama runner process has terminated'
    })
    for (let i = 0; i < 4; i++) await run(router)
    expect(circuits.open()).toHaveLength(1)
    registry.markDown('ollama-local', 'the server was restarted')
    server.setRules([])
    await registry.scan(['ollama-local'])
    await until(() => circuits.open().length === 0)
    expect(clock.now).toBe(Date.parse('2026-12-01T14:02:00')) // no backoff waited: the clock never moved
  })

  it('marks a node that refuses the connection down at once and moves to another node, not to another model on it', async () => {
    const models = [
      { name: MODEL, sizeBytes: 2e9 },
      { name: 'qwen2.5:7b', sizeBytes: 4e9 }
    ]
    const a = await startFakeOllama({ models, loaded: [MODEL] })
    const b = await startFakeOpenAi({
      models: [{ name: MODEL, sizeBytes: 2e9 }],
      rules: always({ kind: 'reply', text: 'Answered by the other node in full.' })
    })
    servers.push(b)
    const config = testConfig({ 'ollama.apiUrl': a.url, 'mlx.apiUrl': b.url, 'models.scanTtlSec': 3600 })
    const registry = createNodeRegistry({ config, store: memoryModelStore() })
    await registry.scan()
    const router = createRouter({ registry, stats: createModelStats(), config, preferences: () => new Map() })
    const t = { ...task(), preferredBackend: 'ollama-local' }
    const plan = router.plan(t)
    expect(plan).toMatchObject({ backend: 'ollama-local', model: MODEL })
    await a.close()
    const progress: string[] = []
    expect(
      await router.process(t, plan, { signal: new AbortController().signal, progress: (m) => progress.push(m) })
    ).toBe('Answered by the other node in full.')
    expect(progress.filter((p) => p.startsWith('asking'))).toEqual([
      `asking ${MODEL} on ollama-local`,
      `asking ${MODEL} on mlx-local`
    ])
    expect(registry.status('ollama-local')).toMatchObject({ state: 'down' })
    expect(registry.status('ollama-local').error).toMatch(/unreachable|connection/)
    expect(router.plan(t)).toMatchObject({ backend: 'mlx-local' })
  })

  it('treats a connection reset before any answer like a refusal', async () => {
    const a = await startFakeOllama({
      models: [{ name: MODEL, sizeBytes: 2e9 }],
      loaded: [MODEL],
      rules: always({ kind: 'reset' })
    })
    servers.push(a)
    const config = testConfig({ 'ollama.apiUrl': a.url, 'mlx.apiUrl': 'http://127.0.0.1:9', 'models.scanTtlSec': 3600 })
    const registry = createNodeRegistry({ config, store: memoryModelStore() })
    await registry.scan()
    const router = createRouter({ registry, stats: createModelStats(), config, preferences: () => new Map() })
    expect(await run(router)).toMatchObject({ type: 'connection_error', blame: 'backend' })
    expect(registry.status('ollama-local').state).toBe('down')
    expect(() => router.plan(task())).toThrow(/No model server that could run this task is up/)
  })

  it('opens once for a prompt that crashes the runner while the model answers others, then blames that prompt, not the node', async () => {
    const { server, router, circuits, clock } = await single(null)
    server.setRules([
      {
        whenPromptContains: 'FAILME',
        behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated' }
      }
    ])
    const poison = task('FAILME write a deploy check')
    // The first failures cannot be told from a broken node: the circuit opens, the task waits without using attempts.
    for (let i = 0; i < 4; i++) expect(await run(router, poison)).toMatchObject({ blame: 'backend' })
    const opened: string[] = []
    circuits.onTransition((t) => void (t.to === 'open' && opened.push(t.from)))
    expect(circuits.open()).toHaveLength(1)
    clock.now += 1000
    await router.probeCircuits()
    expect(circuits.open()).toEqual([])
    // The model answered the probe: the same prompt failing again is the task's, and never reopens the circuit.
    for (let i = 0; i < 8; i++)
      expect(await run(router, poison)).toMatchObject({ type: 'runner_terminated', blame: 'task' })
    expect(opened).toEqual([])
    expect(circuits.find('ollama-local', MODEL)).toBeNull()
    expect(await run(router)).toMatch(/^Answer from llama3\.2:3b/)
    // Other prompts failing still count against the node.
    server.setRules(always({ kind: 'error', status: 500, message: 'llama runner process has terminated' }))
    for (let i = 0; i < 4; i++) expect(await run(router)).toMatchObject({ blame: 'backend' })
    expect(opened).toEqual(['closed'])
  })
})

describe('circuit reasons', () => {
  it('name the one failure seen, or the most frequent of several', () => {
    const config = testConfig({ 'models.circuitMinRequests': 4 })
    let now = Date.parse('2026-12-01T14:02:00')
    const board = createCircuitBoard({ config, now: () => now })
    for (const failure of [
      '500 “llama runner process has terminated”',
      'answer cut off mid-stream',
      '500 “llama runner process has terminated”',
      'echo of the prompt'
    ]) {
      board.record('ollama-local', MODEL, { ok: false, kind: 'runner_terminated', failure })
      now += 1000
    }
    expect(board.find('ollama-local', MODEL)?.reason).toBe(
      'ollama-local (llama3.2:3b): 4 of the last 4 generations failed since 14:02, most with 500 “llama runner process has terminated”'
    )
  })
})
