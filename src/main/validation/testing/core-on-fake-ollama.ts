import { afterEach } from 'vitest'
import type { CallName, CallOutput } from '../../../shared/contract/contract'
import type { Core } from '../../app/start-core'
import { startFakeOllama, type FakeOllama, type FakeOllamaOptions } from '../../models/testing/fake-ollama-server'
import { startTestCore } from '../../test-support/running-core'
import { useTempDirs } from '../../test-support/temp-dir'

export const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }

/** A whole core on a fresh data dir whose Ollama is a fake with the test's rules; both closed after each test. */
export function useCoresOnFakeOllama(): (
  fake: FakeOllamaOptions,
  env: Record<string, string>
) => Promise<{ core: Core; ollama: FakeOllama }> {
  const tempDir = useTempDirs()
  const running: { core: Core; ollama: FakeOllama }[] = []
  afterEach(async () => {
    for (const { core, ollama } of running.splice(0)) {
      await core.close()
      await ollama.close()
    }
  })
  return async (fake, env) => {
    const ollama = await startFakeOllama(fake)
    const core = startTestCore(tempDir(), { env: { KOS_OLLAMA_API_URL: ollama.url, ...env } })
    running.push({ core, ollama })
    return { core, ollama }
  }
}

/** A call's value, or the test fails with the refusal's message. */
export async function valueOf<N extends CallName>(core: Core, name: N, input: object): Promise<CallOutput<N>> {
  const result = await core.dispatcher.call(name, input as never, CLI)
  if (!result.ok) throw new Error(result.error.message)
  return result.value as CallOutput<N>
}

export interface LoggedDecision {
  readonly kind: string
  readonly role: string
  readonly decision: string
  readonly taskId: string | null
  readonly model: string | null
}

/** Every row of the decision log, through its canonical JSON export. */
export async function decisionRows(core: Core): Promise<LoggedDecision[]> {
  const { json } = await valueOf(core, 'workflows.decisions.export', {})
  return (JSON.parse(json) as { decisions: LoggedDecision[] }).decisions
}
