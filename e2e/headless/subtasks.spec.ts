import { useFakeOllama } from '../support/fake-ollama-spec'
import { expect, test } from '../support/headless-host'
import { TasksPage } from './pages/tasks-page'

// A high-priority task is split by the lead agent; while one of its subtasks is still running,
// the parent's detail says what it waits for (not an error) and opens each subtask.

const TITLE = 'Plan the launch of the new product'

const startFake = useFakeOllama({ 'worker.retryDelaySec': '0', 'validation.enabled': 'false' })

test.describe('a task split into subtasks', () => {
  test('waits for its subtasks as its own state, naming and opening them, with no "Last error"', async ({
    page,
    host
  }) => {
    // The subtasks answer only once the parent's detail shows them all waiting: their ending alone must move it on.
    let allowAnswers = (): void => undefined
    const answersAllowed = new Promise<void>((resolve) => (allowAnswers = resolve))
    await startFake({
      loaded: ['llama3.2:3b'],
      rules: [
        {
          whenPromptContains: 'Split the user’s request into 2 to 6 subtasks',
          behaviour: {
            kind: 'reply',
            text: '1. Market size — estimate the market for the product\n2. Competitors — list the main competitors\n3. Pricing — propose a price'
          }
        },
        // Pricing is still being worked on: the parent keeps waiting for it.
        { whenPromptContains: 'Pricing', behaviour: { kind: 'hang' } },
        {
          whenPromptContains: '',
          behaviour: {
            kind: 'compute',
            answer: async (p) => {
              await answersAllowed
              return `Result for ${p.split('\n')[0]}: worked out in detail.`
            }
          }
        }
      ]
    })
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks')
    await tasks.create({
      title: TITLE,
      description: 'A launch plan for the product: market, competitors and price.',
      priority: 'high'
    })
    const detail = tasks.detail(TITLE)
    const subtasks = detail.getByTestId('task-subtasks')
    await expect(subtasks.getByRole('heading')).toHaveText('Waiting for 3 of 3 subtasks', { timeout: 60_000 })
    allowAnswers()
    await expect(subtasks.getByRole('heading')).toHaveText('Waiting for 1 of 3 subtasks', { timeout: 60_000 })
    await expect(detail.getByTestId('task-waiting')).toHaveText(' · waiting for 1 of 3 subtasks')
    await expect(subtasks.getByRole('listitem')).toHaveText([
      'Completed Market size',
      'Completed Competitors',
      /(Pending|Running) Pricing/
    ])
    await expect(detail.getByRole('heading', { name: 'Last error' })).toHaveCount(0)
    await expect(detail.getByText('No failed attempts.')).toBeVisible()
    await detail.screenshot({ path: test.info().outputPath('parent-waiting-for-subtasks.png') })
    await subtasks.getByRole('button', { name: 'Competitors' }).click()
    await expect(tasks.detail('Competitors')).toContainText('Result for Competitors: worked out in detail.')
  })
})
