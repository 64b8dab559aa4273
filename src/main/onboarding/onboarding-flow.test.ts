import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { OnboardingStatus } from '../../shared/contract/onboarding-contract'
import type { Core } from '../app/start-core'
import { FULL_SCOPES } from '../rpc/in-process-client'
import { freePort } from '../test-support/free-port'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const cores: Core[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close()
})

const ROOT = join(__dirname, '..', '..', '..')

/** A data dir whose settings file says to watch Ollama but not start it: the owner's choice, which setup may change. */
function watchOnlyDataDir(): string {
  const dir = tempDir()
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ 'supervisor.ollama': 'adopt' }))
  return dir
}

/** Resolves with the first pushed onboarding status that passes `check`, or the current one if it already does. */
function nextStatus(core: Core, check: (s: OnboardingStatus) => boolean): Promise<OnboardingStatus> {
  return new Promise((resolve) => {
    const off = core.events.subscribe((frame) => {
      if (frame.name !== 'onboarding.changed') return
      const status = frame.payload as OnboardingStatus
      if (check(status)) {
        off()
        resolve(status)
      }
    })
    void core
      .client({ scopes: FULL_SCOPES })
      .call('onboarding.status', {})
      .then((r) => {
        if (r.ok && check(r.value)) {
          off()
          resolve(r.value)
        }
      })
  })
}

describe('onboarding on a real core', () => {
  it(
    'from nothing running to a first answer: says Ollama is not running, starts it under the supervisor, pulls the recommended models with progress, and is ready',
    { timeout: 90_000 },
    async () => {
      const port = await freePort()
      const core = startTestCore(watchOnlyDataDir(), {
        env: {
          KOS_SUPERVISOR_OLLAMA: undefined,
          // Left at its default, the MLX server nobody set up stays out of setup, as on a new Mac.
          KOS_MLX_API_URL: undefined,
          KOS_OLLAMA_API_URL: `http://127.0.0.1:${port}`,
          // An Ollama "installed" here: the fake server, with nothing pulled yet.
          KOS_OLLAMA_COMMAND: `${process.execPath} ${join(ROOT, 'scripts', 'fake-ollama.mjs')} --port ${port} --models none`
        }
      })
      cores.push(core)
      const client = core.client({ scopes: FULL_SCOPES })

      const first = await nextStatus(core, (s) => s.checked)
      expect(first.ready).toBe(false)
      expect(first.ollama.state).toBe('not_running')
      expect(first.problems.map((p) => [p.kind, p.fix])).toEqual([['ollama_not_running', 'start_ollama']])

      const started = await client.call('onboarding.startOllama', {})
      expect(started.ok).toBe(true)
      expect(core.config.get('supervisor.ollama')).toBe('manage')
      const empty = await nextStatus(core, (s) => s.ollama.state === 'running')
      expect(empty.problems.map((p) => [p.kind, p.fix])).toEqual([
        ['no_chat_model', 'pull_models'],
        ['no_embedding_model', 'pull_models']
      ])

      const progress: { model: string; state: string; completed: number | null }[] = []
      core.events.subscribe((f) => {
        if (f.name === 'models.pullProgress') progress.push(f.payload as (typeof progress)[number])
      })
      const pulls = await client.call('onboarding.pullModels', {})
      expect(pulls.ok && pulls.value.map((p) => p.model)).toEqual(['llama3.2:3b', 'nomic-embed-text'])
      const ready = await nextStatus(core, (s) => s.ready)
      expect(ready.problems).toEqual([])
      expect(progress.filter((p) => p.model === 'llama3.2:3b' && p.completed !== null).length).toBeGreaterThan(1)
      expect(
        progress
          .filter((p) => p.state === 'done')
          .map((p) => p.model)
          .sort()
      ).toEqual(['llama3.2:3b', 'nomic-embed-text'])

      const again = await client.call('onboarding.pullModels', {})
      expect(again.ok ? null : again.error).toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('Nothing is missing') as string
      })

      const answer = new Promise<{ ok: boolean; model: string | null }>((resolve) => {
        core.events.subscribe((f) => {
          if (f.name === 'models.chatDone') resolve(f.payload as { ok: boolean; model: string | null })
        })
      })
      const asked = await client.call('models.chat', { messages: [{ role: 'user', content: 'Hello' }] })
      expect(asked.ok).toBe(true)
      expect(await answer).toMatchObject({ ok: true, model: 'llama3.2:3b' })
    }
  )

  it(
    'refuses a pull with nowhere to pull to, and a start of an Ollama that is not installed, in plain words',
    { timeout: 30_000 },
    async () => {
      const core = startTestCore(watchOnlyDataDir(), {
        env: { KOS_SUPERVISOR_OLLAMA: undefined, KOS_OLLAMA_COMMAND: '/nonexistent/ollama serve' }
      })
      cores.push(core)
      const client = core.client({ scopes: FULL_SCOPES })
      const status = await nextStatus(core, (s) => s.checked)
      expect(status.ollama.state).toBe('not_installed')
      // The test environment sets the MLX URL, so that server counts as set up, and is named as down.
      expect(status.problems.map((p) => p.title)).toEqual([
        'Ollama is not installed',
        'MLX on this Mac does not answer'
      ])
      expect(status.problems[0]).toMatchObject({ kind: 'ollama_not_installed', fix: 'download_embedded' })
      const pull = await client.call('onboarding.pullModels', {})
      expect(pull.ok ? null : pull.error).toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('nowhere to pull') as string
      })
      const start = await client.call('onboarding.startOllama', {})
      expect(start.ok ? null : start.error).toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('not installed') as string
      })
    }
  )
  it(
    'will not start Ollama against a mode set in the environment, and says which variable to change',
    { timeout: 30_000 },
    async () => {
      const core = startTestCore(tempDir(), { env: { KOS_OLLAMA_COMMAND: `${process.execPath} --version` } })
      cores.push(core)
      const start = await core.client({ scopes: FULL_SCOPES }).call('onboarding.startOllama', {})
      expect(start.ok ? null : start.error).toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('set by the environment variable KOS_SUPERVISOR_OLLAMA') as string
      })
      expect(core.config.get('supervisor.ollama')).toBe('off')
    }
  )
})
