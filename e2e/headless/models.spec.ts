import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startJson } from '../support/start-json'
import { ModelsPage } from './pages/models-page'

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

  async function openModels(page: Page, ollamaUrl: string): Promise<ModelsPage> {
    dataDir = mkdtempSync(join(tmpdir(), 'kos-e2e-models-'))
    // MLX is left unset: a server nobody set up is "not set up" and stays out of health, so only Ollama decides it here.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'KOS_MLX_API_URL'))
    const host = await startJson<{ url: string; origin: string }>(
      [join(ROOT, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir],
      {
        ...inherited,
        KOS_DATA_DIR: '',
        KOS_OLLAMA_API_URL: ollamaUrl,
        KOS_SUPERVISOR_OLLAMA: 'adopt',
        KOS_MODELS_SCAN_INTERVAL_SEC: '2'
      }
    )
    children.push(host.child)
    const models = new ModelsPage(page)
    await models.open(host.info.url)
    await page.goto(`${host.info.origin}/#/models`)
    await expect(models.heading).toHaveText('Models')
    return models
  }

  test('keeps nodes and preferences added through the contract after kill -9 of the app', async () => {
    const lan = await startFakeOllama(0)
    children.push(lan.child)
    dataDir = mkdtempSync(join(tmpdir(), 'kos-e2e-models-'))
    const env = {
      ...process.env,
      KOS_DATA_DIR: '',
      KOS_OLLAMA_API_URL: 'http://127.0.0.1:1',
      KOS_MLX_API_URL: 'http://127.0.0.1:2',
      KOS_SUPERVISOR_OLLAMA: 'off'
    }
    const serve = [join(ROOT, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir]
    const call = async (
      origin: string,
      token: string,
      name: string,
      input: unknown
    ): Promise<{
      ok: boolean
      value: { nodes: { id: string; label: string }[]; preferences: { category: string; model: string }[] }
    }> => {
      const response = await fetch(`${origin}/api/call/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input)
      })
      return (await response.json()) as {
        ok: boolean
        value: { nodes: { id: string; label: string }[]; preferences: { category: string; model: string }[] }
      }
    }
    const tokenOf = (url: string): string => new URL(url).searchParams.get('token') ?? ''

    const first = await startJson<{ url: string; origin: string }>(serve, env)
    expect(
      (
        await call(first.info.origin, tokenOf(first.info.url), 'models.addNode', {
          kind: 'ollama',
          url: lan.info.url,
          label: 'Mac Studio'
        })
      ).ok
    ).toBe(true)
    expect(
      (
        await call(first.info.origin, tokenOf(first.info.url), 'models.setPreference', {
          category: 'coding',
          model: 'qwen2.5-coder:7b'
        })
      ).ok
    ).toBe(true)
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
    const models = await openModels(page, first.info.url)

    const node = models.node('ollama-local')
    await expect(models.state(node)).toHaveText('Up', { timeout: 30_000 })
    await expect(node.getByRole('cell', { name: 'llama3.2:3b' })).toBeVisible()
    // The embedding model may be loaded too (the knowledge base asks for it): the chat model's row is the one that must say so.
    await expect(node.getByRole('row', { name: /llama3\.2:3b/ }).getByText('loaded', { exact: true })).toBeVisible()
    await expect(models.healthLevel).toHaveText('All model services are healthy')

    await stop(first.child, 'SIGKILL')
    await expect(models.state(node)).toHaveText('Down', { timeout: 30_000 })
    await expect(node.getByText(/is unreachable/)).toBeVisible()
    await expect(models.healthLevel).toHaveText('Down', { timeout: 30_000 })
    await expect(models.health).toContainText('Ollama on this Mac')

    const again = await startFakeOllama(first.info.port)
    children.push(again.child)
    await expect(models.state(node)).toHaveText('Up', { timeout: 30_000 })
    await expect(models.healthLevel).toHaveText('All model services are healthy', { timeout: 30_000 })
  })

  test('adds a node by keyboard, refuses a bad URL with the reason, answers through the router and removes the node', async ({
    page
  }) => {
    const local = await startFakeOllama(0)
    const lan = await startFakeOllama(0)
    children.push(local.child, lan.child)
    const models = await openModels(page, local.info.url)

    const form = models.addNodeForm
    await form.getByLabel('URL').fill('not a url')
    await form.getByLabel('URL').press('Enter')
    await expect(models.alerts).toContainText('"not a url" is not a URL')

    await form.getByLabel('URL').fill(lan.info.url)
    await form.getByLabel('Name (optional)').fill('Mac Studio')
    await form.getByLabel('Name (optional)').press('Enter')
    const added = models.nodeNamed('Mac Studio')
    await expect(models.state(added)).toHaveText('Up', { timeout: 30_000 })

    await models.prompt.fill('Say hello in five words')
    await models.prompt.press('Enter')
    await expect(page.getByText(/Answered by llama3\.2:3b on /)).toBeVisible({ timeout: 30_000 })

    await added.getByRole('button', { name: 'Remove Mac Studio' }).click()
    await expect(added).toHaveCount(0)
  })

  test('gives a node caps of its own in the limits table, refuses a bad value naming the field, and follows Settings again', async ({
    page
  }) => {
    const ollama = await startFakeOllama(0)
    children.push(ollama.child)
    const models = await openModels(page, ollama.info.url)
    const mlx = models.limitRow('mlx-local')
    const local = models.limitRow('ollama-local')
    await expect(mlx).toContainText('one at a time')
    await expect(mlx).toContainText('from mlx.maxConcurrent')
    await expect(local).toContainText('no cap of its own')

    await local.getByLabel('Calls', { exact: true }).fill('2')
    await local.getByRole('button', { name: 'Save' }).click()
    await expect(local).toContainText('up to 2')
    await expect(local).toContainText('from this node')

    await mlx.getByLabel('Heavy', { exact: true }).fill('0')
    await mlx.getByRole('button', { name: 'Save' }).click()
    await expect(mlx.getByRole('alert')).toHaveText('Heavy-model calls at once must be at least 1.')

    await page.reload()
    await expect(models.limitRow('ollama-local')).toContainText('up to 2')
    await models.limitRow('ollama-local').getByRole('button', { name: 'Use Settings' }).click()
    await expect(models.limitRow('ollama-local')).toContainText('no cap of its own')
    await expect(models.limitRow('ollama-local')).toContainText('from ollama.maxConcurrent')
  })
})
