import { BOARD_GIVES_UP_ON_A_DEAD_RUNNER, useFakeOllama } from '../support/fake-ollama-spec'
import { expect, test } from '../support/headless-host'
import { TasksPage } from './pages/tasks-page'

// A task that kills the runner of one model lands in review with another model suggested; the card's
// "Return with …" runs it on that model and with the suggested expert, and its history says so.

const TITLE = 'FAILME write a deploy check'

const startFake = useFakeOllama({ 'worker.retryDelaySec': '0', 'worker.maxAttempts': '1', 'models.maxFallbacks': '0' })

test.describe('returning a task from review with the suggestion', () => {
  test('the card offers the suggested model and expert, and the task completes with them', async ({ page, host }) => {
    await startFake({
      models: [
        { name: 'llama3.2:3b', sizeBytes: 2_000_000_000 },
        { name: 'qwen2.5:7b', sizeBytes: 4_700_000_000 },
        { name: 'nomic-embed-text:latest', sizeBytes: 274_000_000 }
      ],
      loaded: ['llama3.2:3b'],
      rules: [
        ...BOARD_GIVES_UP_ON_A_DEAD_RUNNER,
        {
          whenPromptContains: 'FAILME',
          model: 'llama3.2:3b',
          behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated: signal: killed' }
        }
      ]
    })
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks')
    // No expert: the card then suggests the coding expert as well as another model.
    await tasks.create({
      title: TITLE,
      description: 'FAILME write a bash script that checks the deploy of the blog',
      expert: 'none'
    })
    await expect(tasks.review).toContainText(TITLE, { timeout: 60_000 })

    const suggestion = tasks.reviewSuggestion(TITLE)
    await expect(suggestion).toContainText(/model qwen2\.5:7b on .+ \(.*instead of llama3\.2:3b/)
    const button = tasks.returnWithSuggestion(TITLE)
    await expect(button).toHaveText(/^Return with qwen2\.5:7b \/ expert \S+$/)
    const expert = ((await button.textContent()) ?? '').replace(/^.* expert /, '')
    // Or any other chat model (never the embedding model) and expert, chosen by hand.
    const card = tasks.review.getByRole('listitem').filter({ hasText: TITLE })
    await card.getByRole('button', { name: 'Other model or expert…' }).click()
    const chooser = card.getByRole('form', { name: `Return “${TITLE}” with another model or expert` })
    const models = chooser.getByLabel('Model')
    await expect(models.locator('option')).toHaveText([
      'Keep (it failed on llama3.2:3b)',
      /^llama3\.2:3b on /,
      /^qwen2\.5:7b on /
    ])
    await expect(chooser.getByRole('button', { name: 'Return with these' })).toBeDisabled()
    await chooser.getByLabel('Expert').selectOption({ label: 'Olga — Data analyst' })
    await expect(chooser.getByRole('button', { name: 'Return with these' })).toBeEnabled()
    await button.scrollIntoViewIfNeeded()
    await card.screenshot({ path: test.info().outputPath('review-card-return-with.png') })
    await chooser.getByRole('button', { name: 'Cancel' }).click()
    await expect(chooser).toHaveCount(0)

    await button.click()
    await expect(tasks.review).not.toContainText(TITLE, { timeout: 30_000 })
    await expect(tasks.rows().filter({ hasText: TITLE })).toContainText(/completed/i, { timeout: 30_000 })
    await tasks.rows().filter({ hasText: TITLE }).click()
    const detail = tasks.detail(TITLE)
    await expect(detail).toContainText(
      new RegExp(`returned to autoprocessing with qwen2\\.5:7b on .+ and expert ${expert} \\(before: llama3\\.2:3b`)
    )
    // Where it ran, by the node's name as its owner knows it, not by its id.
    await expect(detail).toContainText('Ollama on this Mac · qwen2.5:7b')
    await expect(tasks.rows().filter({ hasText: TITLE })).toContainText('· Ollama on this Mac')
  })
})
