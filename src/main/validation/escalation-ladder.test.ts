import { describe, expect, it } from 'vitest'
import type { TaskDetail } from '../../shared/contract/tasks-contract'
import type { FakeRule } from '../models/testing/fake-script'
import { decisionRows, useCoresOnFakeOllama, valueOf } from './testing/core-on-fake-ollama'

const startCore = useCoresOnFakeOllama()

const WEAK_MODEL = 'llama3.2:3b'
const STRONG_MODEL = 'qwen2.5:7b'
const GOOD = 'The migration plan: copy the tables, dual-write for a week, verify the counts, then switch reads over.'

/** The board's members and chair first (their prompts carry the task's title too), then the worker. */
function rules(chairDecision: string): FakeRule[] {
  return [
    {
      whenPromptContains: 'Positions of the members',
      behaviour: {
        kind: 'reply',
        text: `DECISION: ${chairDecision}\nRATIONALE: The small model failed the same way three times.\nRISKS:\n- cost`
      }
    },
    {
      whenPromptContains: "A task's attempts ran out",
      behaviour: { kind: 'reply', text: 'POSITION: Use a stronger model for this.\nVOTE: FOR' }
    },
    // The weak model answers too briefly every time: a failed attempt of the task's own.
    { whenPromptContains: 'migration plan', model: WEAK_MODEL, behaviour: { kind: 'reply', text: 'ok' } },
    { whenPromptContains: 'migration plan', model: STRONG_MODEL, behaviour: { kind: 'reply', text: GOOD } }
  ]
}

async function start(chairDecision: string) {
  const { core, ollama } = await startCore(
    {
      models: [
        { name: WEAK_MODEL, sizeBytes: 2_000_000_000 },
        { name: STRONG_MODEL, sizeBytes: 4_700_000_000 }
      ],
      loaded: [WEAK_MODEL, STRONG_MODEL],
      rules: rules(chairDecision)
    },
    { KOS_WORKER_MAX_ATTEMPTS: '3', KOS_WORKER_RETRY_DELAY_SEC: '0', KOS_VALIDATION_ENABLED: 'false' }
  )
  const { id } = await valueOf(core, 'tasks.create', {
    title: 'Write the migration plan',
    description: 'Write the migration plan for moving the orders database.',
    preferredModel: WEAK_MODEL
  })
  return { core, ollama, id }
}

const detail = (core: Awaited<ReturnType<typeof start>>['core'], id: string): Promise<TaskDetail> =>
  valueOf(core, 'tasks.get', { id }) as Promise<TaskDetail>
const verification = (core: Awaited<ReturnType<typeof start>>['core'], id: string) =>
  valueOf(core, 'validation.task', { id })

describe('escalation ladder, end to end on a fake model server', () => {
  it('fails three times, is put to the board, which says retry on another model, and then completes', async () => {
    const { core, ollama, id } = await start(`RETRY_OTHER_MODEL ${STRONG_MODEL}`)
    await expect.poll(async () => (await detail(core, id)).task.status, { timeout: 30_000 }).toBe('completed')

    const { task, events } = await detail(core, id)
    expect(task.result).toBe(GOOD)
    expect(task.model).toBe(STRONG_MODEL)
    const kinds = events.map((e) => e.kind)
    expect(kinds.filter((k) => k === 'failed')).toHaveLength(3)
    // Deferred once attempts ran out, then back in the queue on the board's word, then done.
    expect(kinds.indexOf('deferred')).toBeLessThan(kinds.lastIndexOf('requeued'))
    expect(kinds.at(-1)).toBe('completed')

    const { escalations } = await verification(core, id)
    expect(escalations).toEqual([
      expect.objectContaining({
        round: 1,
        state: 'retry_other_model',
        failedModel: WEAK_MODEL,
        nextModel: STRONG_MODEL
      })
    ])
    expect(escalations[0]?.boardView).toMatch(/^RETRY_OTHER_MODEL qwen2\.5:7b\nWhy: The small model failed/)
    const boardDecision = await valueOf(core, 'board.decisions.get', { id: escalations[0]?.decisionId ?? '' })
    expect(boardDecision).toMatchObject({ source: 'task', taskId: id })
    const rows = await decisionRows(core)
    expect(rows.filter((r) => r.kind === 'escalation').map((r) => [r.role, r.decision, r.model])).toEqual([
      ['board', 'retry_other_model', STRONG_MODEL]
    ])
    // The weak model was asked three times for the task, the strong one once.
    const asked = ollama.requests.filter((r) => r.startsWith('POST /api/chat'))
    expect(asked.length).toBeGreaterThanOrEqual(3 + 5 + 1)
  }, 60_000)

  it('leaves the task in manual review with the board’s view when the board gives up, and does not ask again', async () => {
    const { core, id } = await start('GIVE_UP — a person should decide what this plan must cover.')
    await expect
      .poll(async () => (await verification(core, id)).escalations[0]?.state, { timeout: 30_000 })
      .toBe('give_up')
    const { task, events } = await detail(core, id)
    expect(task.status).toBe('deferred_to_human')
    expect(events.filter((e) => e.kind === 'deferred')).toHaveLength(1)
    const { escalations } = await verification(core, id)
    expect(escalations).toHaveLength(1)
    expect(escalations[0]?.boardView).toMatch(/^GIVE_UP — a person should decide/)
  }, 60_000)
})
