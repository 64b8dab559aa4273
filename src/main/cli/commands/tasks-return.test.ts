import { describe, expect, it } from 'vitest'
import type { Task, TaskSummary } from '../../../shared/contract/tasks-contract'
import { startFakeOllama } from '../../models/testing/fake-ollama-server'
import { runKosInProcess } from '../../test-support/run-kos-in-process'
import { useTempDirs } from '../../test-support/temp-dir'

const tempDir = useTempDirs()
const CRASH = { kind: 'error' as const, status: 500, message: 'llama runner process has terminated' }

describe('kos tasks return', () => {
  it('returns a task from review with another model and expert through the running app, and names a bad choice', async () => {
    const ollama = await startFakeOllama({
      models: [
        { name: 'llama3.2:3b', sizeBytes: 2_000_000_000 },
        { name: 'qwen2.5:7b', sizeBytes: 4_700_000_000 }
      ],
      loaded: ['llama3.2:3b'],
      rules: [{ whenPromptContains: 'release notes', behaviour: CRASH }]
    })
    const dir = tempDir()
    const env = { KOS_OLLAMA_API_URL: ollama.url, KOS_WORKER_MAX_ATTEMPTS: '1', KOS_MODELS_MAX_FALLBACKS: '0' }
    // `follow` runs until its task ends, not until a signal.
    const kos = (argv: string[]) =>
      runKosInProcess([...argv, '--data-dir', dir], { env, untilStopped: () => new Promise<void>(() => undefined) })
    let stop = (): void => undefined
    const stopped = new Promise<void>((resolve) => (stop = resolve))
    const serveOut: string[] = []
    const serving = runKosInProcess(['serve', '--data-dir', dir, '--port', '0'], {
      env,
      untilStopped: () => stopped,
      out: serveOut
    })
    await expect.poll(() => serveOut.length, { timeout: 20_000 }).toBeGreaterThan(0)
    try {
      const added = await kos(['tasks', 'add', 'Write the release notes', 'Write the release notes of 2.1.', '--json'])
      const { id, metadata } = JSON.parse(added.out.join('\n')) as Task
      const inReview = async (): Promise<string[]> => {
        const listed = await kos(['tasks', 'list', 'deferred_to_human', '--json'])
        return (JSON.parse(listed.out.join('\n')) as { tasks: TaskSummary[] }).tasks.map((t) => t.id)
      }
      await expect.poll(inReview, { timeout: 20_000 }).toContain(id)
      ollama.setRules([])

      const badModel = await kos(['tasks', 'return', id, '--model', 'mixtral:8x7b', '--json'])
      expect(badModel.code).toBe(65)
      expect(JSON.parse(badModel.out.join('\n'))).toMatchObject({
        error: { code: 'invalid_input', message: expect.stringContaining('No node has a chat model "mixtral:8x7b"') }
      })
      const badExpert = await kos(['tasks', 'return', id, '--expert', 'Nobody'])
      expect(badExpert.code).toBe(65)
      expect(badExpert.err.join('\n')).toMatch(/^There is no expert "Nobody"\. Pick one of: /)
      const wrongVerb = await kos(['tasks', 'list', '--model', 'qwen2.5:7b'])
      expect(wrongVerb.code).toBe(64)
      expect(wrongVerb.err.join('\n')).toContain('--model, --node and --expert go with kos tasks return, not list.')

      const returned = await kos(['tasks', 'return', id, '--model', 'qwen2.5:7b', '--expert', 'Igor'])
      expect(returned.code).toBe(0)
      expect(returned.out.join('\n')).toBe(
        `Returned ${id} to autoprocessing; it runs with model qwen2.5:7b on ollama-local and expert igor. Follow it with: kos tasks follow ${id}`
      )
      const followed = await kos(['tasks', 'follow', id])
      expect(followed.out.join('\n')).toMatch(
        /requeued .*returned to autoprocessing with qwen2\.5:7b on .+ and expert .+ \(before: llama3\.2:3b\)/
      )
      expect(followed.out.at(-1)).toMatch(/completed/)
      // The return is on the task's own trail too, with what it was returned with.
      const trail = await kos(['logs', '--correlation', String(metadata.correlationId), '--json'])
      expect(JSON.parse(trail.out.join('\n'))).toContainEqual(
        expect.objectContaining({ msg: 'task returned from review', task_id: id, model: 'qwen2.5:7b', expert: 'igor' })
      )
    } finally {
      stop()
      await serving
      await ollama.close()
    }
  }, 60_000)
})
