import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { freePort } from '../../src/main/test-support/free-port'
import { CLOSED_URL } from '../support/headless-host'
import { startJson } from '../support/start-json'
import { ChatPage } from './pages/chat-page'
import { OnboardingPage } from './pages/onboarding-page'

const ROOT = join(__dirname, '..', '..')

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

test.describe('Onboarding', () => {
  test.describe.configure({ timeout: 120_000 })
  let dataDir = ''
  const children: ChildProcess[] = []

  test.afterEach(async () => {
    for (const c of children.splice(0).reverse()) await stop(c)
    rmSync(dataDir, { recursive: true, force: true })
  })

  /**
   * A new Mac: Ollama installed (the project's fake server stands in for `ollama serve`) but not
   * running, nothing pulled, and the app told to watch it only — so it is the panel that starts it.
   */
  async function startApp(
    ollamaCommand: (port: number) => string,
    mirror: string = CLOSED_URL
  ): Promise<{ url: string }> {
    dataDir = mkdtempSync(join(tmpdir(), 'kos-e2e-onboarding-'))
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ 'supervisor.ollama': 'adopt' }))
    const port = await freePort()
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !['KOS_MLX_API_URL', 'KOS_SUPERVISOR_OLLAMA'].includes(key))
    )
    const host = await startJson<{ url: string }>(
      [join(ROOT, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir],
      {
        ...inherited,
        KOS_DATA_DIR: '',
        KOS_OLLAMA_API_URL: `http://127.0.0.1:${port}`,
        KOS_OLLAMA_COMMAND: ollamaCommand(port),
        KOS_SUPERVISOR_MLX: 'off',
        KOS_MODELS_SCAN_INTERVAL_SEC: '2',
        KOS_ONBOARDING_EMBEDDED_CHAT_URL: `${mirror}/chat.gguf`,
        KOS_ONBOARDING_EMBEDDED_EMBEDDING_URL: `${mirror}/embedding.gguf`
      }
    )
    children.push(host.child)
    return host.info
  }

  const postponed = (): unknown =>
    (JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>)[
      'onboarding.postponed'
    ]

  test('from nothing running to a first answer: start Ollama, pull the recommended models with progress, the panel goes, the lead agent answers', async ({
    page
  }) => {
    const fakeOllama = join(ROOT, 'scripts', 'fake-ollama.mjs')
    const app = await startApp((port) => `${process.execPath} ${fakeOllama} --port ${port} --models none`)
    const setup = new OnboardingPage(page)
    await setup.open(app.url)

    await expect(setup.panel).toBeVisible()
    await expect(setup.problems).toHaveCount(1)
    await expect(setup.problem('Ollama is installed but not running')).toContainText('The app can start it')
    await expect(setup.health).toContainText('Not working')

    await setup.fix('Start Ollama').click()
    await expect(setup.problem('No chat model')).toContainText('llama3.2:3b', { timeout: 30_000 })
    await expect(setup.problem('No embedding model')).toContainText('nomic-embed-text')
    await expect(setup.fix('Start Ollama')).toHaveCount(0)

    await setup.fix('Pull the recommended models').click()
    await expect(setup.progress.first()).toBeVisible()
    await expect(setup.panel).toBeHidden({ timeout: 30_000 })
    await expect(setup.health).not.toContainText('Not working')

    const chat = new ChatPage(page)
    await chat.go('Chat')
    await chat.send('Hello, who are you?')
    // The fake server answers in the pulled model's name: the answer came from what setup pulled.
    await expect(chat.answers.first()).toContainText('Answer from llama3.2:3b', { timeout: 30_000 })
  })

  test('folds away with Not now, and says plainly when Ollama is not installed, offering the built-in engine', async ({
    page
  }) => {
    const app = await startApp(() => '/nonexistent/ollama serve')
    const setup = new OnboardingPage(page)
    await setup.open(app.url)
    await expect(setup.problem('Ollama is not installed')).toContainText('Install it from ollama.com')
    await expect(setup.fix('Use the built-in engine')).toBeEnabled()
    await expect(setup.fix('Start Ollama')).toHaveCount(0)

    await setup.panel.getByRole('button', { name: 'Not now' }).click()
    await expect(setup.panel).toContainText('1 thing to set up before the corporation can work')
    // The choice is the core's, kept in the settings file: a reload (or another window) opens the panel folded.
    await expect.poll(() => postponed()).toBe(true)
    await page.reload()
    await expect(setup.panel).toContainText('1 thing to set up before the corporation can work')
    await expect(setup.panel.getByRole('button', { name: 'Not now' })).toHaveCount(0)
    await setup.panel.getByRole('button', { name: 'Show setup' }).click()
    await expect(setup.problem('Ollama is not installed')).toBeVisible()
    await expect.poll(() => postponed()).toBe(false)
    await page.reload()
    await expect(setup.problem('Ollama is not installed')).toBeVisible()

    await setup.nodeUrl.fill('not a url')
    await setup.fix('Add a server').click()
    await expect(setup.panel.getByRole('alert')).toContainText('"not a url" is not a URL')
  })
  test('offline: a download that cannot reach its server says so and offers Retry, and its bars stand still in red', async ({
    page
  }) => {
    // The mirror is a loopback port nothing listens on, as huggingface.co is to a Mac without network
    // (not CLOSED_URL: fetch refuses its port 9 before trying it).
    const mirror = `http://127.0.0.1:${await freePort()}`
    const app = await startApp(() => '/nonexistent/ollama serve', mirror)
    const setup = new OnboardingPage(page)
    await setup.open(app.url)
    await setup.fix('Use the built-in engine').click()
    await expect(setup.progress).toHaveCount(2)
    const offline = `Could not reach ${new URL(mirror).host}: connection refused. Check the network, then Retry.`
    for (const role of ['(chat)', '(embedding)']) {
      const row = setup.progress.filter({ hasText: role })
      await expect(row.getByRole('alert')).toHaveText(offline)
      await expect(row).not.toContainText('sha256')
      const bar = setup.progressBar(role)
      await expect(bar).toHaveAttribute('aria-label', /: failed$/)
      // A bar without a value is the moving "size not known yet" one; a failed download is not moving.
      await expect(bar).toHaveAttribute('value', '0')
    }
    await expect(setup.fix('Retry')).toBeEnabled()
    await page.screenshot({ path: test.info().outputPath('onboarding-offline.png') })
  })

  test('with no Ollama at all: the built-in engine downloads and verifies its two models with progress, and answers a first chat', async ({
    page
  }) => {
    const mirror = await startJson<{ url: string }>([join(ROOT, 'scripts', 'gguf-mirror.mjs')])
    children.push(mirror.child)
    const app = await startApp(() => '/nonexistent/ollama serve', mirror.info.url)
    const setup = new OnboardingPage(page)
    await setup.open(app.url)

    await setup.fix('Use the built-in engine').click()
    await expect(setup.progress).toHaveCount(2)
    await expect(setup.panel).toBeHidden({ timeout: 60_000 })
    await expect(setup.health).not.toContainText('Not working')

    const chat = new ChatPage(page)
    await chat.go('Chat')
    await chat.send('Hello')
    // The tiny model's words are noise; what matters is that the embedded engine answered, and the answer names it as the owner knows it.
    await expect(chat.answers.first()).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 })
    await expect(chat.answers.first().getByRole('alert')).toHaveCount(0)
    await expect(chat.answers.first()).toContainText('on Embedded llama.cpp')
  })
})
