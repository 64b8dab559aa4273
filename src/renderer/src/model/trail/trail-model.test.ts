import { describe, expect, it } from 'vitest'
import type { Trail } from '../../../../shared/contract/trail-contract'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { trailModel, trailTokens } from './trail-model'

const trail = (calls: number): Trail => ({
  correlationId: 'c-1',
  chat: null,
  tasks: [],
  modelCalls: Array.from({ length: calls }, (_, i) => ({
    at: '2026-12-01T10:00:00.000Z',
    source: 'task' as const,
    purpose: 'task',
    taskId: `t${i}`,
    node: 'ollama-local',
    model: 'llama3.2:3b',
    tokensIn: 10,
    tokensOut: 5,
    durationMs: 100
  })),
  lines: [],
  omittedLines: 0
})

describe('trail model', () => {
  it('reads the trail of its correlation id, and again when a model call is counted', async () => {
    let calls = 1
    const fake = fakeClient({ 'trail.get': () => ({ ok: true, value: trail(calls++) }) })
    const model = createViewModel(trailModel, fake.client, 'c-1')
    const dispose = model.connect()
    await settle()
    expect(fake.calls).toEqual([{ name: 'trail.get', input: { correlationId: 'c-1' } }])
    expect(model.getState().trail?.modelCalls).toHaveLength(1)
    fake.emit('usage.changed', { at: '2026-12-01T10:00:01.000Z' })
    await settle()
    expect(fake.calls.at(-1)?.input).toEqual({ correlationId: 'c-1' })
    expect(trailTokens(model.getState().trail as Trail)).toEqual({ tokensIn: 20, tokensOut: 10 })
    dispose()
    expect(fake.listening()).toBe(0)
  })
})
