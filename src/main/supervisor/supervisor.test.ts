import { createServer } from 'node:http'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../test-support/free-port'
import { useTempDirs } from '../test-support/temp-dir'
import type { KnownFailure } from './failure-classifier'
import type { ProbeResult, ProcessSpec, ProcessStatus } from './supervised-process'
import { createSupervisor, type Supervisor } from './supervisor'

const tempDir = useTempDirs()
const running: Supervisor[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()))
})

/** A stand-in model server: serves, crashes, hangs or prints out-of-memory lines as told. */
const CHILD = `
import { createServer } from 'node:http'
const [port, mode] = process.argv.slice(2)
console.log('starting in mode ' + mode)
if (mode === 'crash') setTimeout(() => { console.error('fatal: cannot bind'); process.exit(3) }, 50)
else if (mode === 'oom-exit') setTimeout(() => { console.error('ggml_metal_graph_compute: command buffer 0 failed with status 5 (Insufficient Memory)'); process.exit(1) }, 50)
else if (mode === 'hang') setInterval(() => {}, 1000)
else {
  createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ models: [] })) })
    .listen(Number(port), '127.0.0.1', () => console.log('Listening on 127.0.0.1:' + port))
  if (mode === 'serve-oom') setTimeout(() => console.error('llama_init_from_model: failed to allocate context'), 200)
}
`

async function probeHttp(port: number, signal: AbortSignal): Promise<ProbeResult> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/tags`, { signal })
    const body = (await res.json()) as { models: unknown[] }
    return { ok: true, modelCount: body.models.length }
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  }
}

async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function supervise(mode: string, overrides: Partial<ProcessSpec> = {}) {
  const dir = tempDir()
  const script = join(dir, 'child.mjs')
  writeFileSync(script, CHILD)
  const port = await freePort()
  const failures: { id: string; failure: KnownFailure }[] = []
  const spec: ProcessSpec = {
    id: 'ollama',
    label: 'Ollama',
    command: process.execPath,
    args: [script, String(port), mode],
    mode: () => 'manage',
    probe: (signal) => probeHttp(port, signal),
    probeIntervalMs: () => 60_000,
    maxRestartsPerHour: () => 5,
    logFile: join(dir, 'logs', 'ollama.log'),
    backoffBaseMs: 20,
    startTimeoutMs: 5000,
    ...overrides
  }
  const supervisor = createSupervisor({
    specs: [spec],
    onChange: () => undefined,
    onMemoryFailure: (id, failure) => failures.push({ id, failure })
  })
  running.push(supervisor)
  const status = (): ProcessStatus => {
    const [s] = supervisor.statuses()
    if (!s) throw new Error('no status')
    return s
  }
  return { supervisor, status, failures, port, spec }
}

describe('supervisor', () => {
  it('starts a managed server, and restarts it after kill -9 with a new pid', async () => {
    const { supervisor, status } = await supervise('serve')
    await supervisor.begin()
    await waitFor('running', () => status().state === 'running')
    const first = status().pid as number
    process.kill(first, 'SIGKILL')
    await waitFor('restarted', () => status().state === 'running' && status().pid !== first)
    expect(status().restartsLastHour).toBe(1)
    expect(status().lastExit?.signal).toBe('SIGKILL')
    expect(status().logTail.some((l) => l.includes('Listening on'))).toBe(true)
    expect(readFileSync(status().logFile, 'utf8')).toContain('starting in mode serve')
  })

  it('marks a process that keeps exiting non-zero as needing attention after its hourly restarts, and Start clears it', async () => {
    const { supervisor, status } = await supervise('crash', { maxRestartsPerHour: () => 2 })
    await supervisor.begin()
    await waitFor('needs attention', () => status().state === 'needs_attention')
    expect(status().reason).toMatch(/exited with code 3/)
    expect(status().reason).toMatch(/failed 2 times in the last hour/)
    expect(supervisor.health()).toMatchObject({ component: 'supervisor', level: 'degraded' })
    const result = await supervisor.startProcess('ollama')
    expect(result.ok).toBe(true)
    expect(['starting', 'restarting', 'needs_attention']).toContain(status().state)
  })

  it('kills and restarts a child that hangs without ever serving', async () => {
    const { supervisor, status } = await supervise('hang', { startTimeoutMs: 300, maxRestartsPerHour: () => 1 })
    await supervisor.begin()
    await waitFor('needs attention', () => status().state === 'needs_attention')
    expect(status().logTail.join('\n')).toMatch(/did not answer within 0.3 s/)
    expect(status().lastExit?.signal).toBe('SIGKILL')
  })

  it('reports out-of-memory lines for lower concurrency instead of restarting a server that still runs', async () => {
    const { supervisor, status, failures } = await supervise('serve-oom')
    await supervisor.begin()
    await waitFor('oom seen', () => failures.length > 0)
    expect(failures[0]).toEqual({ id: 'ollama', failure: 'context_alloc_failed' })
    expect(status().state).toBe('running')
    expect(status().restartsLastHour).toBe(0)
    expect(status().lastFailure?.kind).toBe('context_alloc_failed')
  })

  it('names the out-of-memory cause when a crashed server is restarted', async () => {
    const { supervisor, status, failures } = await supervise('oom-exit', { maxRestartsPerHour: () => 1 })
    await supervisor.begin()
    await waitFor('needs attention', () => status().state === 'needs_attention')
    expect(failures.map((f) => f.failure)).toContain('metal_oom')
    expect(status().reason).toMatch(/ran out of GPU \(Metal\) memory/)
  })

  it('adopts an instance that already runs, never starts a second, and will not stop it', async () => {
    const port = await freePort()
    const other = createServer((_req, res) => res.end(JSON.stringify({ models: [{}] })))
    await new Promise<void>((r) => other.listen(port, '127.0.0.1', () => r()))
    try {
      const { supervisor, status } = await supervise('serve', { probe: (signal) => probeHttp(port, signal) })
      await supervisor.begin()
      expect(status()).toMatchObject({ state: 'adopted', pid: null })
      const stop = await supervisor.stopProcess('ollama')
      expect(stop.ok).toBe(false)
      if (!stop.ok) expect(stop.message).toMatch(/not started by the app/)
    } finally {
      await new Promise((r) => other.close(r))
    }
  })

  it('explains an empty model list with models on disk under another user', async () => {
    const { supervisor, status } = await supervise('serve', {
      otherUsersModels: () => [{ dir: '/Users/anna/.ollama/models', count: 3 }]
    })
    await supervisor.begin()
    await waitFor('warning', () => status().warning !== null)
    expect(status().warning).toMatch(/started as another user.*3 in \/Users\/anna\/\.ollama\/models/)
  })

  it('says when the command is not installed, and only watches in adopt mode', async () => {
    const missing = await supervise('serve', { command: 'kos-no-such-server-xyz' })
    await missing.supervisor.begin()
    expect(missing.status().state).toBe('not_installed')
    expect(missing.status().reason).toMatch(/kos-no-such-server-xyz is not installed/)
    const watched = await supervise('serve', { mode: () => 'adopt' })
    await watched.supervisor.begin()
    expect(watched.status().state).toBe('stopped')
    expect(watched.status().reason).toMatch(/only watches it/)
  })

  it('on system resume restarts a child frozen while asleep, and leaves a healthy one alone', async () => {
    const { supervisor, status } = await supervise('serve', { probeTimeoutMs: 300 })
    await supervisor.begin()
    await waitFor('running', () => status().state === 'running')
    const first = status().pid as number
    await supervisor.onSystemResume()
    expect(status().pid).toBe(first)
    process.kill(first, 'SIGSTOP')
    await supervisor.onSystemResume()
    await waitFor('restarted', () => status().state === 'running' && status().pid !== first)
    expect(alive(first)).toBe(false)
  })

  it('stops by request and on quit, leaving no child behind', async () => {
    const { supervisor, status } = await supervise('serve')
    await supervisor.begin()
    await waitFor('running', () => status().state === 'running')
    const first = status().pid as number
    await supervisor.stopProcess('ollama')
    expect(alive(first)).toBe(false)
    expect(status()).toMatchObject({ state: 'stopped', reason: 'Stopped by you.' })
    await supervisor.onSystemResume()
    expect(status().state).toBe('stopped')
    await supervisor.startProcess('ollama')
    await waitFor('running again', () => status().state === 'running')
    const second = status().pid as number
    await supervisor.stop()
    expect(alive(second)).toBe(false)
  })
})
