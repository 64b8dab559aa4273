import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test as base } from '@playwright/test'

export interface RunningHost {
  readonly url: string
  readonly readOnlyUrl: string
  readonly origin: string
  readonly fullToken: string
  readonly readOnlyToken: string
  readonly dataDir: string
}

/** The built app's real `kos serve`, on a fresh data dir and a free port, for each test. */
/** Nothing listens on port 9 here: model servers that are certainly down, whatever runs on the machine. */
export const CLOSED_URL = 'http://127.0.0.1:9'

async function startHost(
  extraArgs: readonly string[],
  extraEnv: Readonly<Record<string, string>>
): Promise<{ host: RunningHost; child: ChildProcess }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kos-e2e-'))
  const child = spawn(
    process.execPath,
    [
      join(__dirname, '..', '..', 'bin', 'kos.js'),
      'serve',
      '--json',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...extraArgs
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Model servers where nothing listens, and none started: a spec that needs one starts a fake and passes its URL.
      env: {
        ...process.env,
        KOS_DATA_DIR: '',
        KOS_OLLAMA_API_URL: CLOSED_URL,
        KOS_MLX_API_URL: CLOSED_URL,
        KOS_SUPERVISOR_OLLAMA: 'off',
        KOS_SUPERVISOR_MLX: 'off',
        KOS_ONBOARDING_EMBEDDED_CHAT_URL: `${CLOSED_URL}/chat.gguf`,
        KOS_ONBOARDING_EMBEDDED_EMBEDDING_URL: `${CLOSED_URL}/embedding.gguf`,
        ...extraEnv
      }
    }
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`kos serve exited with ${code}: ${stderr}`)))
  })
  const started = JSON.parse(firstLine) as { url: string; readOnlyUrl: string; origin: string }
  const tokenOf = (url: string): string => new URL(url).searchParams.get('token') ?? ''
  return {
    child,
    host: { ...started, fullToken: tokenOf(started.url), readOnlyToken: tokenOf(started.readOnlyUrl), dataDir }
  }
}

export const test = base.extend<{
  host: RunningHost
  hostArgs: readonly string[]
  hostEnv: Readonly<Record<string, string>>
}>({
  /** Extra `kos serve` flags for a spec, e.g. `test.use({ hostArgs: ['--set', 'ollama.apiUrl=…'] })`. */
  hostArgs: [[], { option: true }],
  /** Environment over the defaults above; an empty value unsets one (the app reads '' as not given). */
  hostEnv: [{}, { option: true }],
  host: async ({ hostArgs, hostEnv }, use) => {
    const { host, child } = await startHost(hostArgs, hostEnv)
    await use(host)
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    rmSync(host.dataDir, { recursive: true, force: true })
  }
})

export { expect } from '@playwright/test'
