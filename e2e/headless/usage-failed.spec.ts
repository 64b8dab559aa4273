import { startFakeOpenAi, type FakeOpenAi } from '../../src/main/models/testing/fake-openai-server'
import { expect, test } from '../support/headless-host'
import { AppShell } from './pages/app-shell'
import { TasksPage } from './pages/tasks-page'
import { fakeServerPort } from '../support/fake-server-port'

// A model server that cuts every answer after a few tokens: the tokens it streamed are paid for,
// so the Usage panel counts them and says how many of them went to calls that gave no answer.

const PORT = fakeServerPort()

test.use({
  hostArgs: ['--set', `mlx.apiUrl=http://127.0.0.1:${PORT}/v1`, '--set', 'worker.retryDelaySec=0']
})
test.describe.configure({ timeout: 90_000 })

test.describe('usage of failed generations', () => {
  let fake: FakeOpenAi | null = null
  test.afterEach(async () => {
    await fake?.close()
    fake = null
  })

  test('the Usage panel counts the tokens of cut answers and says "of which failed"', async ({ page, host }) => {
    fake = await startFakeOpenAi({
      port: PORT,
      rules: [{ whenPromptContains: '', behaviour: { kind: 'cut', afterTokens: 4 } }]
    })
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks')
    await tasks.create({
      title: 'Write the release notes',
      description: 'Release notes for version 2.1, one paragraph.'
    })
    const shell = new AppShell(page)
    await expect(async () => {
      await shell.go('Tasks')
      await shell.go('Usage')
      await expect(page.getByTestId('usage-failed').last()).toContainText('of which failed:', { timeout: 2_000 })
    }).toPass({ timeout: 40_000 })
    await page.getByTestId('usage-failed').last().scrollIntoViewIfNeeded()
    await page.screenshot({ path: test.info().outputPath('usage-of-which-failed.png') })
  })
})
