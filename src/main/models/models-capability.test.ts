import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EventFrame } from '../../shared/contract/wire'
import { createConfigService } from '../config/config-service'
import { loadConfig } from '../config/load-config'
import { createEventBus } from '../events/event-bus'
import { createDispatcher } from '../rpc/dispatcher'
import { Refusal } from '../rpc/refusal'
import { memoryLogger } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import { createModelsCapability, type ModelsCapability } from './models-capability'
import { unreachable } from './node-unreachable'
import { startFakeOllama, type FakeOllama } from './testing/fake-ollama-server'

const tempDir = useTempDirs()
const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

/** The capability behind the real dispatcher, on a real config service and an in-memory database. */
async function setup(
  opts: { mlx?: 'set in the environment' | 'left at its default'; env?: Record<string, string> } = {}
): Promise<{
  call: (
    name: string,
    input: unknown
  ) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>
  frames: EventFrame[]
  fake: FakeOllama
  models: ModelsCapability
}> {
  const fake = await startFakeOllama({ loaded: ['llama3.2:3b'] })
  cleanup.push(() => fake.close())
  const dir = tempDir()
  // Left at its default, the MLX node points at localhost:11435, where nothing listens here.
  const mlx = opts.mlx === 'left at its default' ? {} : { KOS_MLX_API_URL: 'http://127.0.0.1:1' }
  const loaded = loadConfig({
    dataDir: { path: dir, source: { kind: 'default' } },
    cli: new Map(),
    env: { KOS_OLLAMA_API_URL: fake.url, ...mlx, ...opts.env }
  })
  if (!loaded.ok) throw new Error(loaded.messages.join('\n'))
  const config = createConfigService({
    inputs: loaded.inputs,
    resolved: loaded.resolved,
    dataDir: { path: dir, source: { kind: 'default' } }
  })
  const db = new Database(':memory:')
  for (const file of ['0001_foundation.sql', '0003_models.sql'])
    db.exec(readFileSync(join(__dirname, '../../../migrations', file), 'utf8'))
  const events = createEventBus((e) => {
    throw e
  })
  const frames: EventFrame[] = []
  events.subscribe((f) => frames.push(f))
  const { logger } = memoryLogger()
  const models = createModelsCapability({ config, db, events, log: logger })
  cleanup.push(() => models.stop?.())
  await models.registry.scan()
  const dispatcher = createDispatcher(models.handlers as never, logger)
  const call = async (name: string, input: unknown) => {
    const frame = await dispatcher.handleFrame(
      { type: 'call', id: '1', name, input },
      { scopes: new Set(['read', 'write']), transport: 'ws' }
    )
    return (frame as { result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }).result
  }
  return { call, frames, fake, models }
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
  expect(check()).toBe(true)
}

describe('models capability through the dispatcher', () => {
  it('lists nodes with their models, loaded marks and speeds', async () => {
    const { call } = await setup()
    const listed = await call('models.list', {})
    expect(listed.ok).toBe(true)
    const overview = listed.value as {
      nodes: { id: string; state: string; models: { name: string; loaded: boolean }[] }[]
      categories: string[]
    }
    expect(overview.nodes.find((n) => n.id === 'ollama-local')).toMatchObject({
      state: 'up',
      models: [{ name: 'llama3.2:3b', loaded: true }]
    })
    expect(overview.categories).toContain('coding')
  })

  it('refuses bad node input with a typed error naming the value', async () => {
    const { call } = await setup()
    expect((await call('models.addNode', { kind: 'ollama', url: 'nonsense' })).error).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('"nonsense"') as string
    })
    expect((await call('models.removeNode', { id: 'ollama-local' })).error).toMatchObject({ code: 'forbidden' })
    expect((await call('models.removeNode', { id: 'nope' })).error).toMatchObject({ code: 'not_found' })
    expect((await call('models.pull', { node: 'mlx-local', model: 'x' })).error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('cannot pull') as string
    })
  })

  it('answers a refusal as a typed value, never by throwing', async () => {
    const { models } = await setup()
    const ctx = {
      scopes: new Set(['read', 'write'] as const),
      transport: 'in-process' as const,
      correlationId: 'c',
      log: memoryLogger().logger
    }
    const refused = [
      await models.handlers['models.addNode']({ kind: 'ollama', url: 'nonsense', label: '' }, ctx),
      await models.handlers['models.removeNode']({ id: 'nope' }, ctx),
      await models.handlers['models.pull']({ node: 'mlx-local', model: 'x' }, ctx)
    ]
    for (const r of refused) expect(r).toBeInstanceOf(Refusal)
    expect(refused.map((r) => (r as Refusal).error.code)).toEqual(['invalid_input', 'not_found', 'conflict'])
  })

  it('pulls with progress events, then lists the new model', async () => {
    const { call, frames } = await setup()
    const started = await call('models.pull', { node: 'ollama-local', model: 'phi3:mini' })
    expect(started.ok).toBe(true)
    await until(() =>
      frames.some((f) => f.name === 'models.pullProgress' && (f.payload as { state: string }).state === 'done')
    )
    const progress = frames
      .filter((f) => f.name === 'models.pullProgress')
      .map((f) => f.payload as { completed: number | null; total: number | null })
    expect(progress.some((p) => p.total !== null && p.completed !== null && p.completed < p.total)).toBe(true)
    await until(() =>
      frames.some((f) => f.name === 'models.changed' && JSON.stringify(f.payload).includes('phi3:mini'))
    )
  })

  it('streams a chat answer as events and names who answered; a preference is stored and pushed', async () => {
    const { call, frames } = await setup()
    const asked = await call('models.chat', { messages: [{ role: 'user', content: 'hi there' }] })
    const requestId = (asked.value as { requestId: string }).requestId
    await until(() => frames.some((f) => f.name === 'models.chatDone'))
    const tokens = frames
      .filter((f) => f.name === 'models.chatToken' && (f.payload as { requestId: string }).requestId === requestId)
      .map((f) => (f.payload as { token: string }).token)
    expect(tokens.join('')).toBe('Answer from llama3.2:3b: a considered reply to the question.')
    expect(frames.find((f) => f.name === 'models.chatDone')?.payload).toMatchObject({
      ok: true,
      node: 'ollama-local',
      model: 'llama3.2:3b'
    })
    const set = await call('models.setPreference', { category: 'coding', model: 'qwen2.5-coder' })
    expect((set.value as { preferences: unknown[] }).preferences).toEqual([
      { category: 'coding', model: 'qwen2.5-coder' }
    ])
    expect(frames.some((f) => f.name === 'models.changed')).toBe(true)
  })

  it('reports the nodes’ health: ok while up, down with the reason when the only node goes away', async () => {
    const { fake, models } = await setup({ mlx: 'left at its default' })
    expect(await models.health.report()).toEqual({ component: 'models', level: 'ok', reasons: [] })
    await fake.close()
    await models.registry.scan()
    const report = await models.health.report()
    expect(report.level).toBe('down')
    // Named once, whatever the closed server's socket said (refused, reset or cut).
    expect(report.reasons[0]).toContain(`Ollama on this Mac (${fake.url}) is unreachable`)
    expect(report.reasons[0]?.split(fake.url)).toHaveLength(2)
  })

  it('says why a node is down once, whatever its error already says of the server', () => {
    const url = 'http://127.0.0.1:11434'
    expect(unreachable('Ollama on this Mac', url, `Ollama at ${url} is unreachable (ECONNREFUSED)`)).toBe(
      `Ollama on this Mac (${url}) is unreachable (ECONNREFUSED)`
    )
    expect(
      unreachable('Studio', url, `OpenAI-compatible server at ${url}: the connection failed (socket hang up)`)
    ).toBe(`Studio (${url}) is unreachable: the connection failed (socket hang up)`)
    expect(unreachable('Studio', url, 'the scan timed out after 3 s')).toBe(
      `Studio (${url}) is unreachable: the scan timed out after 3 s`
    )
    expect(unreachable('Studio', url, null)).toBe(`Studio (${url}) is unreachable: no answer`)
  })

  it('shows an MLX server nobody set up as not set up, in neutral words, and leaves it out of health; set explicitly, it counts', async () => {
    const unset = await setup({ mlx: 'left at its default' })
    const listed = (await unset.call('models.list', {})).value as {
      nodes: { id: string; state: string; error: string | null }[]
    }
    expect(listed.nodes.find((n) => n.id === 'mlx-local')).toMatchObject({
      state: 'not_configured',
      error:
        'Not set up: nothing answers at http://localhost:11435. Start mlx_lm.server there, or set mlx.apiUrl in Settings to use it.'
    })
    expect(await unset.models.health.report()).toMatchObject({ level: 'ok' })

    const explicit = await setup({ mlx: 'set in the environment' })
    const nodes = (
      (await explicit.call('models.list', {})).value as { nodes: { id: string; state: string; error: string | null }[] }
    ).nodes
    expect(nodes.find((n) => n.id === 'mlx-local')).toMatchObject({
      state: 'down',
      error: expect.stringMatching(/connection failed/) as string
    })
    expect(await explicit.models.health.report()).toMatchObject({
      level: 'degraded',
      reasons: [expect.stringMatching(/^MLX on this Mac \(http:\/\/127\.0\.0\.1:1\) is unreachable/)]
    })
  })

  it('opens a circuit on a server failing every generation: pushed, listed with its reason, in the health report; and closed by a probe', async () => {
    const { call, frames, fake, models } = await setup({
      mlx: 'left at its default',
      env: { KOS_MODELS_CIRCUIT_MIN_REQUESTS: '3' }
    })
    fake.setRules([
      {
        whenPromptContains: '',
        behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated' }
      }
    ])
    for (let i = 0; i < 3; i++) {
      await call('models.chat', { messages: [{ role: 'user', content: `question ${i}` }] })
      await until(() => frames.filter((f) => f.name === 'models.chatDone').length === i + 1)
    }
    await until(() => frames.some((f) => f.name === 'models.circuitChanged'))
    expect(frames.find((f) => f.name === 'models.circuitChanged')?.payload).toMatchObject({
      node: 'ollama-local',
      model: 'llama3.2:3b',
      from: 'closed',
      to: 'open'
    })
    const circuits = (await call('models.circuits', {})).value as {
      circuits: { reason: string; errorType: string }[]
      generations: { nodes: { node: string; succeeded: number; failed: number }[] }
    }
    expect(circuits.circuits).toMatchObject([
      {
        errorType: 'runner_terminated',
        reason: expect.stringMatching(
          /^ollama-local \(llama3\.2:3b\): 500 “llama runner process has terminated” on 3 of the last 3 generations since \d\d:\d\d$/
        ) as string
      }
    ])
    expect(circuits.generations.nodes).toEqual([
      { node: 'ollama-local', succeeded: 0, failed: 3, topFailure: '500 “llama runner process has terminated”' }
    ])
    const node = (
      (await call('models.list', {})).value as { nodes: { id: string; circuits: unknown[]; generations: unknown }[] }
    ).nodes.find((n) => n.id === 'ollama-local')
    expect(node).toMatchObject({ circuits: [{ state: 'open' }], generations: { succeeded: 0, failed: 3 } })
    expect(await models.health.report()).toMatchObject({
      level: 'down',
      reasons: [expect.stringMatching(/^Circuit open: ollama-local/)]
    })
    const asked = await call('models.chat', { messages: [{ role: 'user', content: 'anyone there?' }] })
    await until(() =>
      frames.some(
        (f) =>
          f.name === 'models.chatDone' &&
          (f.payload as { requestId: string }).requestId === (asked.value as { requestId: string }).requestId
      )
    )
    expect(frames.filter((f) => f.name === 'models.chatDone').at(-1)?.payload).toMatchObject({
      ok: false,
      error: expect.stringMatching(/circuit open for ollama-local/) as string
    })

    fake.setRules([])
    models.begin()
    await until(() =>
      frames.some((f) => f.name === 'models.circuitChanged' && (f.payload as { to: string }).to === 'closed')
    )
    expect((await call('models.circuits', {})).value).toMatchObject({ circuits: [] })
  })
})
