import { describe, expect, it } from 'vitest'
import type { CallOutput } from '../../../shared/contract/contract'
import { generationChecks } from './generation-checks'
import { nodeView } from '../../test-support/node-view'

type Nodes = CallOutput<'models.list'>['nodes']
type Circuit = CallOutput<'models.circuits'>['circuits'][number]

const OPENED = '2026-12-01T14:02:00.000Z'
const circuit = (node: string, model: string, reason: string): Circuit => ({
  node,
  model,
  state: 'open',
  reason,
  errorType: 'runner_terminated',
  openedAt: OPENED,
  nextProbeAt: '2026-12-01T14:02:04.000Z',
  lastProbeFailure: null
})
const node = (id: string, models: string[], circuits: Circuit[] = []): Nodes[number] =>
  nodeView(
    id,
    models.map((name) => ({ name, sizeBytes: 1e9, loaded: true })),
    { scannedAt: OPENED, circuits }
  )

function checks(answer: {
  tallies?: CallOutput<'models.circuits'>['generations']['nodes']
  circuits?: Circuit[]
  nodes?: Nodes
}) {
  const read = async <N extends 'models.circuits' | 'models.list'>(name: N): Promise<CallOutput<N>> =>
    (name === 'models.circuits'
      ? { circuits: answer.circuits ?? [], generations: { windowMin: 15, nodes: answer.tallies ?? [] } }
      : { nodes: answer.nodes ?? [], speeds: [], preferences: [], categories: [] }) as CallOutput<N>
  const defs = Object.fromEntries(
    generationChecks(read, () => ({ failurePercent: 30, minGenerations: 5 })).map((c) => [c.id, c])
  )
  return (id: string) => Promise.resolve(defs[id]!.run(new AbortController().signal))
}

describe('generation checks: an up but failing backend', () => {
  it('fail the success ratio, a hard check, while every generation fails, so the verdict cannot be “healthy, with warnings”', async () => {
    const run = checks({
      tallies: [
        { node: 'ollama-local', succeeded: 0, failed: 8, topFailure: '500 “llama runner process has terminated”' }
      ]
    })
    expect(await run('models.generation-success')).toEqual({
      status: 'fail',
      evidence: 'last 15 min: ollama-local: 0 of 8 succeeded (0%), mostly 500 “llama runner process has terminated”'
    })
  })

  it('warn when one node fails above the threshold while another generates, and pass at or below it', async () => {
    const mixed = checks({
      tallies: [
        { node: 'ollama-local', succeeded: 1, failed: 9, topFailure: 'echo of the prompt' },
        { node: 'mlx-local', succeeded: 20, failed: 0, topFailure: null }
      ]
    })
    expect((await mixed('models.generation-success')).status).toBe('warn')
    const fine = checks({
      tallies: [{ node: 'ollama-local', succeeded: 7, failed: 3, topFailure: 'answer cut off mid-stream' }]
    })
    expect(await fine('models.generation-success')).toMatchObject({ status: 'pass' })
    const few = checks({ tallies: [{ node: 'ollama-local', succeeded: 0, failed: 4, topFailure: 'server error' }] })
    expect((await few('models.generation-success')).status).toBe('pass')
    expect(await checks({})('models.generation-success')).toEqual({
      status: 'pass',
      evidence: 'no generations in the last 15 min'
    })
  })

  it('fail on open circuits when no chat model on an up node is left, warn when another can still answer', async () => {
    const reason =
      'ollama-local (llama3.2:3b): 500 “llama runner process has terminated” on 8 of the last 8 generations since 14:02'
    const open = circuit('ollama-local', 'llama3.2:3b', reason)
    const blocked = checks({
      circuits: [open],
      nodes: [node('ollama-local', ['llama3.2:3b', 'nomic-embed-text'], [open])]
    })
    expect(await blocked('models.circuits-closed')).toEqual({
      status: 'fail',
      evidence: `${reason}; next probe 2026-12-01T14:02:04.000Z`
    })
    const other = checks({
      circuits: [open],
      nodes: [node('ollama-local', ['llama3.2:3b'], [open]), node('mlx-local', ['qwen2.5:7b'])]
    })
    expect((await other('models.circuits-closed')).status).toBe('warn')
    expect(await checks({ nodes: [node('ollama-local', ['llama3.2:3b'])] })('models.circuits-closed')).toEqual({
      status: 'pass',
      evidence: 'every circuit is closed'
    })
  })
})
