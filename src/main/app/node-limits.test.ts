import { afterEach, describe, expect, it } from 'vitest'
import type { Task } from '../../shared/contract/tasks-contract'
import type { ModelsOverview } from '../../shared/contract/models-contract'
import type { Core } from './start-core'
import { startFakeOllama, type FakeOllama } from '../models/testing/fake-ollama-server'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }
const MODEL = 'llama3.2:3b'

describe('per-node concurrency limits', () => {
  const open: { core: Core; fake: FakeOllama }[] = []
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.core.close()
      await o.fake.close()
    }
  })

  async function start(dir: string) {
    let inFlight = 0
    let most = 0
    const fake = await startFakeOllama({
      loaded: [MODEL],
      rules: [
        {
          whenPromptContains: '',
          behaviour: {
            kind: 'compute',
            // The model takes a moment over each answer, so tasks the scheduler lets run together overlap here.
            answer: async (prompt) => {
              most = Math.max(most, ++inFlight)
              await new Promise((r) => setTimeout(r, 150))
              inFlight--
              return `A full answer to: ${prompt.split('\n')[0]}`
            }
          }
        }
      ]
    })
    const core = startTestCore(dir, {
      env: { KOS_OLLAMA_API_URL: fake.url, KOS_WORKER_MAX_CONCURRENCY: '6', KOS_WORKER_MIN_CONCURRENCY: '1' }
    })
    open.push({ core, fake })
    const call = (name: string, input: unknown) => core.dispatcher.call(name as never, input as never, CLI)
    const value = async <T>(name: string, input: unknown): Promise<T> => {
      const out = await call(name, input)
      if (!out.ok) throw new Error(`${name}: ${out.error.message}`)
      return out.value as T
    }
    return { core, call, value, most: () => most }
  }

  const limitOf = (overview: ModelsOverview, id: string) => overview.nodes.find((n) => n.id === id)?.limit

  it('shows each node its caps, MLX one at a time by default, and takes a node’s own caps, kept across a restart', async () => {
    const dir = tempDir()
    const first = await start(dir)
    const listed = await first.value<ModelsOverview>('models.list', {})
    expect(limitOf(listed, 'mlx-local')).toEqual({ total: 1, heavy: 1, own: null })
    expect(limitOf(listed, 'ollama-local')).toEqual({ total: null, heavy: 1, own: null })

    const set = await first.value<ModelsOverview>('models.setNodeLimit', {
      id: 'ollama-local',
      maxConcurrent: 2,
      maxHeavy: null
    })
    expect(limitOf(set, 'ollama-local')).toEqual({ total: 2, heavy: 1, own: { maxConcurrent: 2, maxHeavy: null } })
    const o = open.pop() as { core: Core; fake: FakeOllama }
    await o.core.close()
    await o.fake.close()

    const second = await start(dir)
    expect(limitOf(await second.value<ModelsOverview>('models.list', {}), 'ollama-local')).toEqual({
      total: 2,
      heavy: 1,
      own: { maxConcurrent: 2, maxHeavy: null }
    })
    const back = await second.value<ModelsOverview>('models.setNodeLimit', {
      id: 'ollama-local',
      maxConcurrent: null,
      maxHeavy: null
    })
    expect(limitOf(back, 'ollama-local')).toEqual({ total: null, heavy: 1, own: null })
  }, 30_000)

  it('refuses an unknown node or an out-of-range cap with a message naming it and what to do', async () => {
    const { call } = await start(tempDir())
    const unknown = await call('models.setNodeLimit', { id: 'studio', maxConcurrent: 2, maxHeavy: null })
    expect(unknown.ok ? null : unknown.error).toMatchObject({
      code: 'not_found',
      message: 'There is no model node "studio". Use the id of a node listed by models.list (e.g. "mlx-local").'
    })
    const negative = await call('models.setNodeLimit', { id: 'ollama-local', maxConcurrent: -1, maxHeavy: null })
    expect(negative.ok ? null : negative.error.code).toBe('invalid_input')
    expect(negative.ok ? '' : JSON.stringify(negative.error)).toContain('maxConcurrent')
  })

  it('never runs more tasks on a node than its own cap, whatever the pool’s size', async () => {
    const { value, most } = await start(tempDir())
    await value('models.setNodeLimit', { id: 'ollama-local', maxConcurrent: 2, maxHeavy: null })
    const ids: string[] = []
    for (let i = 1; i <= 8; i++)
      ids.push(
        (await value<Task>('tasks.create', { title: `Summarise report ${i}`, description: 'Three sentences on it.' }))
          .id
      )
    await expect
      .poll(async () => (await value<{ byStatus: Record<string, number> }>('tasks.counters', {})).byStatus.completed, {
        timeout: 20_000
      })
      .toBe(8)
    expect(most()).toBe(2)
  }, 30_000)
})
