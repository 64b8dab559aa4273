import { describe, expect, it } from 'vitest'
import type { CallParsedInput } from '../../shared/contract/contract'
import type { ModelsOverview } from '../../shared/contract/models-contract'
import type { CallContext } from '../rpc/handler-types'
import { Refusal } from '../rpc/refusal'
import { memoryLogger } from '../test-support/memory-logger'
import { checkingPreferences } from './task-preferences'
import { modelsOverview, nodeView } from '../test-support/node-view'

type Input = CallParsedInput<'tasks.create'>

const ctx = (): CallContext => ({
  scopes: new Set(['read', 'write']),
  transport: 'in-process',
  correlationId: 'c1',
  log: memoryLogger().logger
})

const nodes = modelsOverview([
  nodeView('local', ['qwen2.5:7b', 'nomic-embed-text:latest'], { label: 'This Mac' }),
  nodeView('studio', ['llama3.2:3b'], { label: 'Mac Studio' }),
  nodeView('mlx-local', [], { label: 'MLX on this Mac', state: 'not_configured' })
])

function harness(overview: ModelsOverview = nodes) {
  const created: Input[] = []
  let listed = 0
  const create = checkingPreferences(
    (input) => {
      created.push(input)
      return { id: 't1' } as never
    },
    async () => {
      listed++
      return overview
    }
  )
  return { created, create, listed: () => listed }
}

const base = (over: Partial<Input> = {}): Input => ({
  title: 'Summarise backups',
  description: 'Summarise the backup policy in three bullet points.',
  priority: 'normal',
  ...over
})

const refusalOf = (result: unknown): { message: string; path: string | undefined } => {
  expect(result).toBeInstanceOf(Refusal)
  const refusal = result as Refusal
  return { message: refusal.error.message, path: refusal.error.issues?.[0]?.path }
}

describe('tasks.create with a preferred node or model', () => {
  it('queues a task whose node and model exist, storing a node given by its label as its id', async () => {
    const { created, create } = harness()
    await create(base({ preferredBackend: 'mac studio', preferredModel: 'llama3.2' }), ctx())
    await create(base({ preferredModel: 'qwen2.5:7b' }), ctx())
    expect(created.map((c) => [c.preferredBackend, c.preferredModel])).toEqual([
      ['studio', 'llama3.2'],
      [undefined, 'qwen2.5:7b']
    ])
  })

  it('refuses a node nobody has, naming it and the nodes there are, and queues nothing', async () => {
    const { created, create } = harness()
    const refused = refusalOf(await create(base({ preferredBackend: 'stduio' }), ctx()))
    expect(refused.path).toBe('preferredBackend')
    expect(refused.message).toContain('There is no node "stduio"')
    expect(refused.message).toContain('studio (Mac Studio)')
    expect(created).toEqual([])
  })

  it('refuses a model no node has (a typo), naming the models there are', async () => {
    const { created, create } = harness()
    const refused = refusalOf(await create(base({ preferredModel: 'qwen2.5:7' }), ctx()))
    expect(refused.path).toBe('preferredModel')
    expect(refused.message).toContain('No node has a chat model "qwen2.5:7"')
    expect(refused.message).toContain('qwen2.5:7b on This Mac; llama3.2:3b on Mac Studio')
    const onNode = refusalOf(await create(base({ preferredBackend: 'studio', preferredModel: 'qwen2.5:7b' }), ctx()))
    expect(onNode.message).toContain('Mac Studio has no chat model "qwen2.5:7b". It has: llama3.2:3b')
    expect(created).toEqual([])
  })

  it('refuses an embedding model, which cannot write answers', async () => {
    const { create } = harness()
    const refused = refusalOf(await create(base({ preferredModel: 'nomic-embed-text' }), ctx()))
    expect(refused.message).toContain('is an embedding model')
  })

  it('takes a model as given when a node it may be on is down, since that node cannot say what it has', async () => {
    const down = modelsOverview([
      nodeView('local', ['qwen2.5:7b'], { label: 'This Mac' }),
      nodeView('studio', [], { label: 'Mac Studio', state: 'down' })
    ])
    const { created, create } = harness(down)
    await create(base({ preferredModel: 'mixtral:8x7b' }), ctx())
    await create(base({ preferredBackend: 'studio', preferredModel: 'mixtral:8x7b' }), ctx())
    expect(created).toHaveLength(2)
    const refused = refusalOf(await create(base({ preferredBackend: 'local', preferredModel: 'mixtral:8x7b' }), ctx()))
    expect(refused.message).toContain('This Mac has no chat model "mixtral:8x7b"')
  })

  it('reads the nodes only for a task that names a preference', async () => {
    const { create, listed } = harness()
    await create(base(), ctx())
    expect(listed()).toBe(0)
  })
})
