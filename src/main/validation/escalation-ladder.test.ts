import { afterEach, describe, expect, it } from 'vitest'
import type { TaskDetail } from '../../shared/contract/tasks-contract'
import type { TaskVerification } from '../../shared/contract/validation-contract'
import type { Core } from '../app/start-core'
import { startFakeOllama, type FakeOllama } from '../models/testing/fake-ollama-server'
import type { FakeRule } from '../models/testing/fake-script'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }
const running: { core: Core; ollama: FakeOllama }[] = []
afterEach(async () => {
  for (const { core, ollama } of running.splice(0)) {
    await core.close()
    await ollama.close()
  }
})

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
  const ollama = await startFakeOllama({
    models: [
      { name: WEAK_MODEL, sizeBytes: 2_000_000_000 },
      { name: STRONG_MODEL, sizeBytes: 4_700_000_000 }
    ],
    loaded: [WEAK_MODEL, STRONG_MODEL],
    rules: rules(chairDecision)
  })
  const core = startTestCore(tempDir(), {
    env: {
      KOS_OLLAMA_API_URL: ollama.url,
      KOS_WORKER_MAX_ATTEMPTS: '3',
      KOS_WORKER_RETRY_DELAY_SEC: '0',
      KOS_VALIDATION_ENABLED: 'false'
    }
  })
  running.push({ core, ollama })
  const created = await core.dispatcher.call(
    'tasks.create',
    {
      title: 'Write the migration plan',
      description: 'Write the migration plan for moving the orders database.',
      preferredModel: WEAK_MODEL
    },
    CLI
  )
  if (!created.ok) throw new Error(created.error.message)
  return { core, ollama, id: (created.value as { id: string }).id }
}

async function detail(core: Core, id: string): Promise<TaskDetail> {
  const got = await core.dispatcher.call('tasks.get', { id }, CLI)
  if (!got.ok) throw new Error(got.error.message)
  return got.value as TaskDetail
}

async function verification(core: Core, id: string): Promise<TaskVerification> {
  const got = await core.dispatcher.call('validation.task', { id }, CLI)
  if (!got.ok) throw new Error(got.error.message)
  return got.value as TaskVerification
}

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
    const boardDecision = await core.dispatcher.call(
      'board.decisions.get',
      { id: escalations[0]?.decisionId ?? '' },
      CLI
    )
    expect(boardDecision.ok && boardDecision.value).toMatchObject({ source: 'task', taskId: id })
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
