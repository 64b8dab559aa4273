import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { test as base, expect } from '../support/headless-host'
import { startJson } from '../support/start-json'
import { ChatPage } from './pages/chat-page'
import { KnowledgePage } from './pages/knowledge-page'
import { ModelsPage } from './pages/models-page'

const ROOT = join(__dirname, '..', '..')
const CORPUS = join(ROOT, 'src', 'main', 'knowledge', 'fixtures', 'corpus')
/** Prompts holding this word get Ollama's 500 from the fake server: a model that fails every generation. */
const FAIL_WORD = 'CRASHME'

// The app against a fake Ollama that lists `nomic-embed-text:latest` and embeds, and fails what it is told to.
const test = base.extend<{ ollama: { url: string; child: ChildProcess } }>({
  ollama: async ({}, use) => {
    const { child, info } = await startJson<{ url: string }>([
      join(ROOT, 'scripts', 'fake-ollama.mjs'),
      '--loaded',
      'llama3.2:3b',
      '--fail-when',
      FAIL_WORD
    ])
    await use({ url: info.url, child })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  },
  hostArgs: async ({ ollama }, use) => use(['--set', `ollama.apiUrl=${ollama.url}`])
})

test.describe('issue 15 defects, through the UI against a fake Ollama', () => {
  test.describe.configure({ timeout: 120_000 })

  test('7: after an import, Knowledge never shows "Embedded 0%" beside "every chunk is embedded", and Models does not call nomic-embed-text:latest missing', async ({
    page,
    host
  }) => {
    const kb = new KnowledgePage(page)
    await kb.open(host.url, 'knowledge')
    await kb.importFolder(CORPUS, 'ops')
    await expect(kb.importReport).toContainText('6 added', { timeout: 30_000 })
    const status = page.getByTestId('kb-embedding')
    await expect(status).toContainText('Every chunk is embedded with ollama:nomic-embed-text', { timeout: 60_000 })
    // The figure beside the sentence agrees with it.
    await expect(page.getByTestId('kb-stats')).toContainText('Embedded100%')

    const models = new ModelsPage(page)
    await page.goto(`${host.origin}/#/models`)
    await expect(models.heading).toHaveText('Models')
    await expect(page.getByText('nomic-embed-text:latest').first()).toBeVisible()
    await expect(models.health).not.toContainText(/embedding model nomic-embed-text/i)
  })

  test.describe('5: an MLX server nobody set up', () => {
    // mlx.apiUrl left at its default, with nothing listening there: a Mac that never installed MLX.
    test.use({ hostEnv: { KOS_MLX_API_URL: '' } })

    test('reads "Not set up", not Down, and leaves the corporation Healthy', async ({ page, host }) => {
      const models = new ModelsPage(page)
      await models.open(host.url, 'models')
      await expect(models.state(models.node('mlx-local'))).toHaveText('Not set up', { timeout: 30_000 })
      await expect(models.node('mlx-local')).not.toContainText('Down')
      await expect(page.getByTestId('health-status')).toContainText('Healthy', { timeout: 30_000 })
      await expect(page.getByTestId('health-status')).not.toContainText('warnings')
    })
  })

  test('9: a failed answer lists no knowledge sources', async ({ page, host }) => {
    const kb = new KnowledgePage(page)
    await kb.open(host.url, 'knowledge')
    await kb.importFolder(CORPUS, 'ops')
    await expect(kb.importReport).toContainText('6 added', { timeout: 30_000 })

    const chat = new ChatPage(page)
    await page.goto(`${host.origin}/#/chat`)
    await chat.send(`How are backups of the knowledge base made? ${FAIL_WORD}`)
    const answer = chat.answers.last()
    await expect(answer.getByRole('alert')).toBeVisible({ timeout: 60_000 })
    await expect(answer).toHaveAttribute('aria-busy', 'false')
    await expect(answer).not.toContainText('Sources:')
  })
})
