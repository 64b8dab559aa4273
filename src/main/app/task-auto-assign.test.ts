import { describe, expect, it } from 'vitest'
import type { Expert } from '../../shared/contract/chat-contract'
import type { CallParsedInput } from '../../shared/contract/contract'
import { builtInExperts } from '../chat/expert-file'
import type { CallContext } from '../rpc/handler-types'
import { memoryLogger } from '../test-support/memory-logger'
import { autoAssigning } from './task-auto-assign'

type Input = CallParsedInput<'tasks.create'>

const team: Expert[] = builtInExperts().map((e) => ({ ...e, edited: false }))
const ctx = (): CallContext => ({
  scopes: new Set(['read', 'write']),
  transport: 'in-process',
  correlationId: 'c1',
  log: memoryLogger().logger
})

function harness(experts: readonly Expert[] = team) {
  const created: Input[] = []
  const create = autoAssigning(
    (input) => {
      created.push(input)
      return { id: 't1' } as never
    },
    async () => experts
  )
  return { created, create }
}

const base = (over: Partial<Input> = {}): Input => ({
  title: 'Fix the failing unit test',
  description: 'The python script throws on an empty list; fix the function and add a test.',
  priority: 'normal',
  ...over
})

describe('tasks.create with autoAssign', () => {
  it('gives the task to the expert of its domain, read from the text when no domain is given', async () => {
    const { created, create } = harness()
    await create(base({ autoAssign: true }), ctx())
    const coder = team.find((e) => !e.lead && (e.domains.includes('coding') || e.modelCategory === 'coding'))
    expect(coder).toBeDefined()
    expect(created[0]).toMatchObject({
      domain: 'coding',
      assigneeExpert: coder?.id,
      metadata: { assignedBy: 'lead-agent' }
    })
    expect(created[0]).not.toHaveProperty('autoAssign')
  })

  it('lets the lead agent take a task no expert has the domain of', async () => {
    const { created, create } = harness()
    await create(base({ autoAssign: true, domain: 'gardening' }), ctx())
    expect(created[0]?.assigneeExpert).toBe(team.find((e) => e.lead)?.id)
  })

  it('keeps an expert the caller named, and leaves tasks without the flag as they were', async () => {
    const { created, create } = harness()
    await create(base({ autoAssign: true, assigneeExpert: 'olga' }), ctx())
    await create(base(), ctx())
    expect(created.map((c) => c.assigneeExpert ?? null)).toEqual(['olga', null])
    expect(created[1]).not.toHaveProperty('domain')
  })

  it('leaves the task unassigned only when the team cannot be read', async () => {
    const { created, create } = harness([])
    await create(base({ autoAssign: true }), ctx())
    expect(created[0]).toMatchObject({ assigneeExpert: null, domain: 'coding' })
  })
})
