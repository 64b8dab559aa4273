import { afterEach, describe, expect, it } from 'vitest'
import type { TaskDetail } from '../../shared/contract/tasks-contract'
import type { Core } from '../app/start-core'
import { startFakeOllama, type FakeOllama } from '../models/testing/fake-ollama-server'
import type { FakeRule } from '../models/testing/fake-script'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'
import { VERDICT_SCHEMA } from './rubrics'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }
const running: { core: Core; ollama: FakeOllama }[] = []
afterEach(async () => {
  for (const { core, ollama } of running.splice(0)) {
    await core.close()
    await ollama.close()
  }
})

const WEAK = 'WEAK-RESULT: the report is about things and there are several things in it that matter a lot overall.'
const STRONG = 'STRONG-RESULT: Q3 revenue rose 12% to 4.1 M; churn fell to 2.3%; the two risks are hiring and cash.'
const UNPARSED = 'UNPARSED-RESULT: a fair answer the validator will not manage to judge in its format, sadly.'

/** Validator rules first: its prompt carries the result, so they match on the result's marker. */
const RULES: FakeRule[] = [
  {
    whenPromptContains: 'RESULT:\nWEAK-RESULT',
    behaviour: {
      kind: 'json',
      value: { score: 0.2, reasons: ['It names no figures from the report.', 'It is generic filler.'] },
      unconstrained: 'The answer seems acceptable to me.'
    }
  },
  {
    whenPromptContains: 'RESULT:\nSTRONG-RESULT',
    behaviour: {
      kind: 'json',
      value: { score: 0.9, reasons: ['Specific figures and risks, as asked.'] },
      unconstrained: 'Great answer!'
    }
  },
  // A backend that ignores the schema and answers prose.
  {
    whenPromptContains: 'RESULT:\nUNPARSED-RESULT',
    behaviour: { kind: 'reply', text: 'I would give it eight out of ten.' }
  },
  { whenPromptContains: 'weak one', behaviour: { kind: 'reply', text: WEAK } },
  { whenPromptContains: 'strong one', behaviour: { kind: 'reply', text: STRONG } },
  { whenPromptContains: 'unparsed one', behaviour: { kind: 'reply', text: UNPARSED } }
]

async function core(env: Record<string, string> = {}) {
  const ollama = await startFakeOllama({ loaded: ['llama3.2:3b'], rules: RULES })
  const started = startTestCore(tempDir(), {
    env: { KOS_OLLAMA_API_URL: ollama.url, KOS_WORKER_MAX_ATTEMPTS: '1', ...env }
  })
  running.push({ core: started, ollama })
  return { core: started, ollama }
}

async function runTask(c: Core, which: string): Promise<TaskDetail> {
  const created = await c.dispatcher.call(
    'tasks.create',
    { title: `Summarise the Q3 report (${which})`, description: `Summarise the Q3 report, ${which}, with figures.` },
    CLI
  )
  if (!created.ok) throw new Error(created.error.message)
  const id = (created.value as { id: string }).id
  let detail: TaskDetail | null = null
  await expect
    .poll(
      async () => {
        const got = await c.dispatcher.call('tasks.get', { id }, CLI)
        detail = got.ok ? (got.value as TaskDetail) : null
        return detail?.task.status
      },
      { timeout: 20_000 }
    )
    .toMatch(/^(completed|deferred_to_human)$/)
  return detail as unknown as TaskDetail
}

describe('result validation on the worker’s completion of a task', () => {
  it('fails a long but weak result as validation_failed with the validator’s reasons, asking for the verdict schema', async () => {
    const { core: c, ollama } = await core()
    const { task, events } = await runTask(c, 'weak one')
    expect(task.status).toBe('deferred_to_human')
    expect(task.errorType).toBe('validation_failed')
    expect(task.lastError).toMatch(/scored the result 0\.20 by llama3\.2:3b, under the pass mark/)
    expect(task.lastError).toMatch(/It names no figures from the report; It is generic filler\.$/)
    expect(task.result).toBeNull()
    expect(events.some((e) => e.kind === 'failed' && e.errorType === 'validation_failed')).toBe(true)
    // The worker's call had no format; the validator's carried the verdict schema.
    expect(ollama.formats).toEqual([undefined, VERDICT_SCHEMA])
  }, 30_000)

  it('completes a good result and says in its events what the validator scored', async () => {
    const { core: c } = await core()
    const { task, events } = await runTask(c, 'strong one')
    expect(task.status).toBe('completed')
    expect(task.result).toBe(STRONG)
    expect(events.map((e) => e.message)).toContain('Validated: scored 0.90 by llama3.2:3b.')
  }, 30_000)

  it('lets a result through unjudged, and says so in its events, when the validator cannot answer in its format', async () => {
    const { core: c } = await core()
    const { task, events } = await runTask(c, 'unparsed one')
    expect(task.status).toBe('completed')
    expect(task.result).toBe(UNPARSED)
    const note = events.find((e) => e.message?.startsWith('Not validated:'))
    expect(note?.message).toMatch(/answered something that is not JSON: "I would give it eight out of ten\."/)
    expect(note?.message).toMatch(/The result counts unjudged\.$/)
  }, 30_000)

  it('judges nothing when validation is turned off', async () => {
    const { core: c, ollama } = await core({ KOS_VALIDATION_ENABLED: 'false' })
    const { task } = await runTask(c, 'weak one')
    expect(task.status).toBe('completed')
    expect(ollama.formats).toEqual([undefined])
  }, 30_000)
})
