import { BOARD_GIVES_UP_ON_A_DEAD_RUNNER, useFakeOllama } from '../support/fake-ollama-spec'
import { expect, test } from '../support/headless-host'
import { TasksPage } from './pages/tasks-page'

// A task that fails every attempt is put to the board before it reaches manual review; the
// board's view is on its review card. Validation is on: the validator's verdict shows there too.

const TITLE = 'Draft the pricing page copy'

const startFake = useFakeOllama({ 'worker.retryDelaySec': '0', 'worker.maxAttempts': '2' })

test.describe('escalation ladder in the app', () => {
  test('a task that failed validation twice goes to the board, which gives up; its review card shows why', async ({
    page,
    host
  }) => {
    await startFake({
      loaded: ['llama3.2:3b'],
      rules: [
        {
          whenPromptContains: 'Positions of the members',
          behaviour: {
            kind: 'reply',
            text: 'DECISION: GIVE_UP — the brief names no product or price, so no model can write this copy.\nRATIONALE: Both attempts were generic; a person must add the missing facts.\nRISKS:\n- wasted runs'
          }
        },
        {
          whenPromptContains: "A task's attempts ran out",
          behaviour: { kind: 'reply', text: 'POSITION: The brief lacks facts.\nVOTE: AGAINST' }
        },
        {
          whenPromptContains: 'RESULT:\n',
          behaviour: {
            kind: 'json',
            value: { score: 0.25, reasons: ['No product name or price appears.', 'The copy is generic filler.'] },
            unconstrained: 'Fine.'
          }
        },
        {
          whenPromptContains: 'pricing page',
          behaviour: {
            kind: 'reply',
            text: 'Our product is great and affordable. Choose the plan that suits you and enjoy the benefits today.'
          }
        }
      ]
    })
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks')
    await tasks.create({ title: TITLE, description: 'Write the copy for the pricing page of our new product.' })
    await expect(tasks.review).toContainText(TITLE, { timeout: 60_000 })
    await tasks.review.getByText(TITLE).first().click()
    const detail = tasks.detail(TITLE)
    const verification = detail.getByRole('region', { name: 'Verification' })
    await expect(verification).toContainText('Round 1: The board gave up: a person decides', { timeout: 30_000 })
    await expect(verification).toContainText('GIVE_UP — the brief names no product or price')
    await expect(verification).toContainText('Failed · score 0.25')
    await expect(verification).toContainText('No product name or price appears.')
    await expect(detail).toContainText('Answer failed validation')
    await verification.scrollIntoViewIfNeeded()
    await page.screenshot({ path: test.info().outputPath('review-card-board-view.png'), fullPage: true })
  })
  test('a task the model runner kills reaches review with the rule, no restart offer for an Ollama the app does not run, and a suggested expert and model', async ({
    page,
    host
  }) => {
    const title = 'FAILME write a deploy check'
    await startFake({
      loaded: ['llama3.2:3b', 'qwen2.5-coder:7b'],
      rules: [
        ...BOARD_GIVES_UP_ON_A_DEAD_RUNNER,
        {
          whenPromptContains: 'FAILME',
          behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated: signal: killed' }
        }
      ]
    })
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks')
    await tasks.create({ title, description: 'FAILME write a bash script that checks the deploy of the blog' })
    await expect(tasks.review).toContainText(title, { timeout: 60_000 })

    // The host runs with supervisor.ollama=off: the app cannot restart Ollama, so it does not offer to.
    const rule = tasks.reviewRule('Model runner terminated')
    await expect(rule).toContainText('Restart Ollama yourself, then Return to autoprocessing.')
    await expect(rule.getByRole('button', { name: /restart Ollama/i })).toHaveCount(0)
    await expect(rule.getByRole('button', { name: 'Return 1 task' })).toBeEnabled()
    await expect(rule).not.toContainText('..')

    const suggestion = tasks.reviewSuggestion(title)
    await expect(suggestion).toContainText(/expert \S+ \(.*its domain is coding\)/)
    // Every prompt of this task kills the runner: each model it tried is where it failed or has an open circuit.
    await expect(suggestion).toContainText(/No other chat model answers now \(.*(circuit open|it failed on)/)
    await tasks.review.scrollIntoViewIfNeeded()
    await page.screenshot({ path: test.info().outputPath('review-card-runner-terminated.png'), fullPage: true })
  })
})
