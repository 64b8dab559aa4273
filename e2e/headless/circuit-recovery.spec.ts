import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect, test } from '@playwright/test'
import { freePort } from '../../src/main/test-support/free-port'

const ROOT = join(__dirname, '..', '..')
const JITI = join(ROOT, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs')
// The chaos bench's fault server: one of the project's fake Ollama servers behind a proxy whose faults are set over HTTP.
const FAULT_SERVER = join(ROOT, 'bench', 'chaos', 'fault-server.ts')

function firstLine(child: ChildProcess, what: string): Promise<string> {
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${stderr}`)))
  })
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

test.describe('Tasks under a failing model server', () => {
  // Starts the app and a fake model server as processes, and waits out a circuit's probe: well over the default.
  test.describe.configure({ timeout: 180_000 })
  const children: ChildProcess[] = []
  let dataDir = ''
  test.afterEach(async () => {
    for (const c of children.splice(0).reverse()) await stop(c)
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('tasks wait with "circuit open" while every generation fails with 500, use no attempts, and complete on their own once the server recovers', async ({
    page
  }) => {
    const port = await freePort()
    const fake = spawn(process.execPath, [JITI, FAULT_SERVER, 'ollama', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    children.push(fake)
    await firstLine(fake, 'the fake Ollama server')
    const setFault = (fault: 'none' | 'error500'): Promise<Response> =>
      fetch(`http://127.0.0.1:${port}/__fault`, { method: 'POST', body: JSON.stringify({ fault }) })
    // The server still lists its models, so it looks up, but answers every generation with a 500.
    await setFault('error500')

    dataDir = mkdtempSync(join(tmpdir(), 'kos-e2e-circuit-'))
    const host = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          KOS_DATA_DIR: '',
          KOS_OLLAMA_API_URL: `http://127.0.0.1:${port}`,
          KOS_MLX_API_URL: 'http://127.0.0.1:9',
          KOS_SUPERVISOR_OLLAMA: 'off',
          KOS_SUPERVISOR_MLX: 'off'
        }
      }
    )
    children.push(host)
    const started = JSON.parse(await firstLine(host, 'kos serve')) as { url: string; origin: string }
    const token = new URL(started.url).searchParams.get('token') ?? ''
    const call = async <T>(name: string, input: unknown): Promise<T> => {
      const response = await page.request.post(`${started.origin}/api/call/${name}`, {
        headers: { Authorization: `Bearer ${token}` },
        data: input
      })
      const body = (await response.json()) as { ok: boolean; value: T; error?: { message: string } }
      if (!body.ok) throw new Error(`${name}: ${body.error?.message ?? 'refused'}`)
      return body.value
    }
    const ids: string[] = []
    for (let i = 1; i <= 6; i++)
      ids.push(
        (
          await call<{ id: string }>('tasks.create', {
            title: `Failover check ${i}`,
            description: `Answer question ${i} in full, with reasons.`
          })
        ).id
      )

    await page.goto(started.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Tasks' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tasks')
    // The engine says why nothing runs, and the tasks it tried say so too.
    await expect(page.getByTestId('tasks-waiting')).toContainText('circuit open', { timeout: 60_000 })
    await expect(page.getByTestId('tasks-waiting')).toContainText('500')
    await expect(page.getByTestId('task-waiting').first()).toContainText('circuit open', { timeout: 30_000 })
    await page.screenshot({ path: test.info().outputPath('circuit-open.png'), fullPage: true })
    const review = page.getByRole('region', { name: 'Manual review (0)' })
    await expect(review).toBeVisible()
    const waiting = await call<{ tasks: { id: string; status: string; attemptCount: number }[] }>('tasks.list', {})
    expect(waiting.tasks.filter((t) => t.status === 'completed' || t.status === 'deferred_to_human')).toEqual([])
    expect(waiting.tasks.every((t) => t.attemptCount <= 1)).toBe(true)

    await setFault('none')
    const counters = page.getByRole('region', { name: 'Tasks by status' })
    await expect(counters.locator('[data-count="completed"]')).toHaveText('6', { timeout: 90_000 })
    await expect(page.getByTestId('tasks-waiting')).toHaveCount(0)
    await page.screenshot({ path: test.info().outputPath('recovered.png'), fullPage: true })
    const done = await call<{ tasks: { id: string; status: string; attemptCount: number }[] }>('tasks.list', {})
    // Completed on their own, each on its first counted attempt: the failures while the circuit was open used none.
    expect(done.tasks.map((t) => [t.status, t.attemptCount])).toEqual(ids.map(() => ['completed', 1]))
    await expect(page.getByRole('region', { name: 'Manual review (0)' })).toBeVisible()
  })
})
