import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startJson } from '../support/start-json'

const ROOT = join(__dirname, '..', '..')

function startFakeOllama(port: number): Promise<{ child: ChildProcess; info: { url: string; port: number } }> {
  return startJson([join(ROOT, 'scripts', 'fake-ollama.mjs'), '--port', String(port), '--loaded', 'llama3.2:3b'])
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill(signal)
  await exited
}

test.describe('Models view', () => {
  // Each test starts the app (and fake servers) as processes; on a loaded shared machine that alone can take many seconds.
  test.describe.configure({ timeout: 120_000 })
  let dataDir = ''
  const children: ChildProcess[] = []

  test.afterEach(async () => {
    for (const c of children.splice(0).reverse()) await stop(c, 'SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  })

  async function openModels(page: Page, ollamaUrl: string): Promise<void> {
    dataDir = mkdtempSync(join(tmpdir(), 'kos-e2e-models-'))
    const host = await startJson<{ url: string; origin: string }>([join(ROOT, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir], {
      ...process.env,
      KOS_DATA_DIR: '',
      KOS_OLLAMA_API_URL: ollamaUrl,
      KOS_MLX_API_URL: 'http://127.0.0.1:9',
      KOS_SUPERVISOR_OLLAMA: 'adopt',
      KOS_MODELS_SCAN_INTERVAL_SEC: '2'
    })
    children.push(host.child)
    await page.goto(host.info.url)
    await page.goto(`${host.info.origin}/#/models`)
    await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible()
  }

  test('keeps nodes and preferences added through the contract after kill -9 of the app', async () => {
    const lan = await startFakeOllama(0)
    children.push(lan.child)
    dataDir = mkdtempSync(join(tmpdir(), 'kos-e2e-models-'))
    const env = { ...process.env, KOS_DATA_DIR: '', KOS_OLLAMA_API_URL: 'http://127.0.0.1:1', KOS_MLX_API_URL: 'http://127.0.0.1:2', KOS_SUPERVISOR_OLLAMA: 'off' }
    const serve = [join(ROOT, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir]
    const call = async (origin: string, token: string, name: string, input: unknown): Promise<{ ok: boolean; value: { nodes: { id: string; label: string }[]; preferences: { category: string; model: string }[] } }> => {
      const response = await fetch(`${origin}/api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) })
      return (await response.json()) as { ok: boolean; value: { nodes: { id: string; label: string }[]; preferences: { category: string; model: string }[] } }
    }
    const tokenOf = (url: string): string => new URL(url).searchParams.get('token') ?? ''

    const first = await startJson<{ url: string; origin: string }>(serve, env)
    expect((await call(first.info.origin, tokenOf(first.info.url), 'models.addNode', { kind: 'ollama', url: lan.info.url, label: 'Mac Studio' })).ok).toBe(true)
    expect((await call(first.info.origin, tokenOf(first.info.url), 'models.setPreference', { category: 'coding', model: 'qwen2.5-coder:7b' })).ok).toBe(true)
    await stop(first.child, 'SIGKILL')

    const second = await startJson<{ url: string; origin: string }>(serve, env)
    children.push(second.child)
    const listed = await call(second.info.origin, tokenOf(second.info.url), 'models.list', {})
    expect(listed.value.nodes.map((n) => n.label)).toContain('Mac Studio')
    expect(listed.value.preferences).toEqual([{ category: 'coding', model: 'qwen2.5-coder:7b' }])
  })

  test('shows a node going down when its server is killed and coming back when it restarts', async ({ page }) => {
    const first = await startFakeOllama(0)
    children.push(first.child)
    await openModels(page, first.info.url)

    const node = page.locator('[data-node="ollama-local"]')
    await expect(node.getByTestId('node-state')).toHaveText('Up', { timeout: 30_000 })
    await expect(node.getByRole('cell', { name: 'llama3.2:3b' })).toBeVisible()
    await expect(node.getByText('loaded', { exact: true })).toBeVisible()
    await expect(page.getByTestId('health-level')).toHaveText('All model services are healthy')

    await stop(first.child, 'SIGKILL')
    await expect(node.getByTestId('node-state')).toHaveText('Down', { timeout: 30_000 })
    await expect(node.getByText(/is unreachable/)).toBeVisible()
    await expect(page.getByTestId('health-level')).toHaveText('Down', { timeout: 30_000 })
    await expect(page.getByRole('status', { name: 'Health' })).toContainText('Ollama on this Mac')

    const again = await startFakeOllama(first.info.port)
    children.push(again.child)
    await expect(node.getByTestId('node-state')).toHaveText('Up', { timeout: 30_000 })
    await expect(page.getByTestId('health-level')).toHaveText('All model services are healthy', { timeout: 30_000 })
  })

  test('adds a node by keyboard, refuses a bad URL with the reason, answers through the router and removes the node', async ({ page }) => {
    const local = await startFakeOllama(0)
    const lan = await startFakeOllama(0)
    children.push(local.child, lan.child)
    await openModels(page, local.info.url)

    const form = page.getByRole('form', { name: 'Add a node' })
    await form.getByLabel('URL').fill('not a url')
    await form.getByLabel('URL').press('Enter')
    await expect(page.getByRole('alert')).toContainText('"not a url" is not a URL')

    await form.getByLabel('URL').fill(lan.info.url)
    await form.getByLabel('Name (optional)').fill('Mac Studio')
    await form.getByLabel('Name (optional)').press('Enter')
    const added = page.locator('li[aria-label^="Mac Studio"]')
    await expect(added.getByTestId('node-state')).toHaveText('Up', { timeout: 30_000 })

    await page.getByLabel('Prompt').fill('Say hello in five words')
    await page.getByLabel('Prompt').press('Enter')
    await expect(page.getByText(/Answered by llama3\.2:3b on /)).toBeVisible({ timeout: 30_000 })

    await added.getByRole('button', { name: 'Remove Mac Studio' }).click()
    await expect(added).toHaveCount(0)
  })
})
