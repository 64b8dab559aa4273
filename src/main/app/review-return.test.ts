import { describe, expect, it } from 'vitest'
import type { ReviewChoices, ReviewSuggestion } from '../../shared/contract/review-contract'
import type { Task, TaskEvent } from '../../shared/contract/tasks-contract'
import { startFakeOllama } from '../models/testing/fake-ollama-server'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }
const CRASH = { kind: 'error' as const, status: 500, message: 'llama runner process has terminated' }
const MODELS = [
  { name: 'llama3.2:3b', sizeBytes: 2_000_000_000 },
  { name: 'qwen2.5:7b', sizeBytes: 4_700_000_000 },
  { name: 'nomic-embed-text:latest', sizeBytes: 274_000_000 }
]

describe('returning a task from review with the suggested model and expert', () => {
  it('refuses an unknown model, node or expert by name, then runs the task with the chosen ones and says so on its trail', async () => {
    // Both models crash on the task at first, so it lands in review; then only llama3.2 does.
    const ollama = await startFakeOllama({
      models: MODELS,
      loaded: ['llama3.2:3b'],
      rules: [{ whenPromptContains: 'deploy check', behaviour: CRASH }]
    })
    const dir = tempDir()
    const core = startTestCore(dir, {
      env: { KOS_OLLAMA_API_URL: ollama.url, KOS_WORKER_MAX_ATTEMPTS: '1', KOS_MODELS_MAX_FALLBACKS: '0' }
    })
    const call = async <T>(name: Parameters<typeof core.dispatcher.call>[0], input: unknown) => {
      const result = await core.dispatcher.call(name, input, CLI)
      return result as { ok: true; value: T } | { ok: false; error: { code: string; message: string } }
    }
    const taskOf = async (id: string): Promise<{ task: Task; events: TaskEvent[] }> => {
      const got = await call<{ task: Task; events: TaskEvent[] }>('tasks.get', { id })
      if (!got.ok) throw new Error(got.error.message)
      return got.value
    }
    try {
      const created = await call<Task>('tasks.create', {
        title: 'Write a deploy check',
        description: 'Write a bash deploy check script for the blog.',
        domain: 'coding'
      })
      if (!created.ok) throw new Error(created.error.message)
      const id = created.value.id
      await expect.poll(async () => (await taskOf(id)).task.status, { timeout: 20_000 }).toBe('deferred_to_human')
      const failedOn = (await taskOf(id)).task.model as string
      ollama.setRules([{ whenPromptContains: 'deploy check', behaviour: CRASH, model: failedOn }])

      // What a person can choose from instead: the chat models (no embedding model) and the team.
      const choices = await call<ReviewChoices>('review.choices', {})
      if (!choices.ok) throw new Error(choices.error.message)
      expect(choices.value.models).toEqual([
        { node: 'ollama-local', nodeLabel: 'Ollama on this Mac', model: 'llama3.2:3b', up: true },
        { node: 'ollama-local', nodeLabel: 'Ollama on this Mac', model: 'qwen2.5:7b', up: true }
      ])
      expect(choices.value.experts).toContainEqual({ id: 'igor', name: 'Igor', role: 'Software engineer' })

      const suggested = await call<ReviewSuggestion[]>('review.suggest', { ids: [id] })
      if (!suggested.ok) throw new Error(suggested.error.message)
      const [suggestion] = suggested.value
      const other = MODELS.find((m) => m.name !== failedOn)?.name
      expect(suggestion?.model).toMatchObject({ node: 'ollama-local', model: other })
      expect(suggestion?.expert).toMatchObject({ id: expect.any(String) })
      const expertId = suggestion?.expert?.id as string

      // Bad choices are refused by name, with what to pick instead, and change nothing.
      const unknownModel = await call('review.return', { id, model: 'mixtral:8x7b' })
      expect(unknownModel).toMatchObject({
        ok: false,
        error: {
          code: 'invalid_input',
          message: `No node has a chat model "mixtral:8x7b". Models there now: llama3.2:3b, qwen2.5:7b on Ollama on this Mac. Pull it in the Models view, or pick one of those.`
        }
      })
      const unknownNode = await call('review.return', { id, model: other, node: 'studio' })
      expect(unknownNode).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
      expect(!unknownNode.ok && unknownNode.error.message).toMatch(
        /^There is no node "studio"\. Pick one of: ollama-local/
      )
      const unknownExpert = await call('review.return', { id, model: other, expert: 'Nobody' })
      expect(unknownExpert).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
      expect(!unknownExpert.ok && unknownExpert.error.message).toMatch(
        /^There is no expert "Nobody"\. Pick one of: .+\(.+\)/
      )
      const embedding = await call('review.return', { id, model: 'nomic-embed-text' })
      expect(!embedding.ok && embedding.error.message).toBe(
        '"nomic-embed-text" is an embedding model and cannot write answers. Pick a chat model: llama3.2:3b, qwen2.5:7b on Ollama on this Mac.'
      )
      const nodeAlone = await call('review.return', { id, node: 'ollama-local' })
      expect(!nodeAlone.ok && nodeAlone.error.message).toContain('was given without a model')
      const untouched = await taskOf(id)
      expect(untouched.task).toMatchObject({ status: 'deferred_to_human', preferredModel: null })
      expect(untouched.events.filter((e) => e.kind === 'requeued')).toEqual([])

      const returned = await call<Task>('review.return', { id, model: other, node: 'ollama-local', expert: expertId })
      if (!returned.ok) throw new Error(returned.error.message)
      expect(returned.value).toMatchObject({
        status: 'pending',
        preferredModel: other,
        preferredBackend: 'ollama-local',
        assigneeExpert: expertId
      })
      await expect.poll(async () => (await taskOf(id)).task.status, { timeout: 20_000 }).toBe('completed')
      const done = await taskOf(id)
      expect(done.task.model).toBe(other)
      const requeued = done.events.find((e) => e.kind === 'requeued')
      expect(requeued?.message).toMatch(
        new RegExp(
          `^returned to autoprocessing with ${other?.replace('.', '\\.')} on .+ and expert .+ \\(before: ${failedOn.replace('.', '\\.')}`
        )
      )

      // A task no longer in review cannot be returned; it says why.
      const again = await call('review.return', { id, model: other })
      expect(again).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: expect.stringContaining('is completed, not in manual review') }
      })
    } finally {
      await core.close()
      await ollama.close()
    }
  }, 60_000)
})
