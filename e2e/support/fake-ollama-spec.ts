import {
  startFakeOllama,
  type FakeOllama,
  type FakeOllamaOptions
} from '../../src/main/models/testing/fake-ollama-server'
import type { FakeRule } from '../../src/main/models/testing/fake-script'
import { test } from './headless-host'
import { fakeServerPort } from './fake-server-port'

/**
 * For a spec whose app talks to a fake Ollama: the host starts with the fake's URL and `settings`,
 * each test starts the fake with its own models and rules (the returned function), and the fake is
 * closed after each test. The port is drawn once per file (fake-server-port.ts), since the host needs
 * the URL before the test starts and spec files run in parallel workers.
 */
export function useFakeOllama(
  settings: Readonly<Record<string, string>>
): (options: Omit<FakeOllamaOptions, 'port'>) => Promise<FakeOllama> {
  const port = fakeServerPort()
  test.use({
    hostArgs: [
      '--set',
      `ollama.apiUrl=http://127.0.0.1:${port}`,
      ...Object.entries(settings).flatMap(([key, value]) => ['--set', `${key}=${value}`])
    ]
  })
  // Each test starts the app and the fake as processes; on a loaded shared machine that alone can take many seconds.
  test.describe.configure({ timeout: 90_000 })
  let running: FakeOllama | null = null
  test.afterEach(async () => {
    await running?.close()
    running = null
  })
  return async (options) => (running = await startFakeOllama({ ...options, port }))
}

/** The board's members vote against and its chair gives up: a task whose runner dies goes on to manual review. */
export const BOARD_GIVES_UP_ON_A_DEAD_RUNNER: readonly FakeRule[] = [
  {
    whenPromptContains: 'Positions of the members',
    behaviour: {
      kind: 'reply',
      text: 'DECISION: GIVE_UP — the runner dies.\nRATIONALE: A person decides.\nRISKS:\n- none'
    }
  },
  {
    whenPromptContains: "A task's attempts ran out",
    behaviour: { kind: 'reply', text: 'POSITION: It keeps failing.\nVOTE: AGAINST' }
  }
]
