import { expect, test } from '../support/headless-host'
import { TasksPage } from './pages/tasks-page'

test.describe('Tasks view', () => {
  test('create with validation, live counters, detail, keyboard, duplicate refusal and cancel', async ({
    page,
    host
  }) => {
    const tasks = new TasksPage(page)
    await tasks.open(host.url)
    await tasks.go('Tasks')
    await expect(tasks.heading).toHaveText('Tasks')
    await expect(tasks.count('pending')).toHaveText('0')
    await expect(page.getByText('No tasks yet.')).toBeVisible()
    // No model server answers here: with nothing queued the worker card says tasks would wait, never "Ready".
    await expect(tasks.workerStatus()).toHaveText('No model server')
    await expect(tasks.worker).toContainText('new tasks will wait as pending until a model server is reachable')

    await tasks.queue()
    await expect(tasks.form.getByText('A title needs at least 3 characters')).toBeVisible()
    await expect(tasks.form.getByText('A description needs at least 10 characters')).toBeVisible()
    await expect(tasks.form.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true')
    // The contract's limits, said in plain words beside the field.
    await tasks.fill({ title: 'x'.repeat(301) })
    await tasks.queue()
    await expect(tasks.form.getByText('Title may have at most 300 characters; this one has 301.')).toBeVisible()

    await tasks.create({
      title: 'Summarise the Q3 report',
      description: 'Summarise the quarterly report in five bullet points for the board.',
      priority: 'high',
      expert: 'maria'
    })
    await expect(tasks.form.getByLabel('Title')).toHaveValue('')
    await expect(tasks.count('pending')).toHaveText('1')
    const detail = tasks.detail('Summarise the Q3 report')
    await expect(detail.getByText('Pending', { exact: true })).toBeVisible()
    await expect(detail.getByRole('list', { name: 'Events of this task' })).toContainText('created')

    // A task created elsewhere (another client, the CLI, an agent) shows up without a refresh.
    const created = await page.request.post(`${host.origin}/api/call/tasks.create`, {
      headers: { Authorization: `Bearer ${host.fullToken}` },
      data: {
        title: 'Draft the launch memo',
        description: 'Write a one-page memo announcing the launch.',
        domain: 'marketing'
      }
    })
    expect(created.ok()).toBe(true)
    const memo = ((await created.json()) as { value: { id: string } }).value
    await expect(tasks.count('pending')).toHaveText('2')
    // No model server is reachable here: the tasks wait, and the view says why instead of leaving them unexplained.
    await expect(tasks.waiting).toContainText('No model server that could run this task is up')
    await expect(tasks.rows()).toHaveCount(2)

    await tasks.list.focus()
    await page.keyboard.press('Home')
    await page.keyboard.press('Enter')
    await expect(tasks.detail('Draft the launch memo')).toBeVisible()
    await tasks.domainFilter().selectOption('marketing')
    await expect(tasks.rows()).toHaveCount(1)
    await tasks.domainFilter().selectOption('')
    // "Search titles or id": the start of an id finds its task. Ids begin with their creation time (UUIDv7), so the
    // start is taken past the millisecond, as a person pastes enough of an id to tell it from its neighbours.
    await tasks.search.fill(memo.id.slice(0, 18))
    await expect(tasks.rows()).toHaveCount(1)
    await expect(tasks.rows()).toContainText('Draft the launch memo')
    await tasks.search.fill('Q3')
    await expect(tasks.rows()).toHaveCount(1)
    await tasks.rows().click()

    await tasks.create({
      title: 'summarise the  Q3 report',
      description: 'Summarise the quarterly report in five bullet points for the board.',
      expert: 'maria'
    })
    await expect(tasks.form.getByRole('alert')).toContainText('within the last 30 days')
    await expect(tasks.form.getByRole('button', { name: 'Open the existing task' })).toBeVisible()

    await detail.getByRole('button', { name: 'Cancel task' }).click()
    await expect(detail.getByText('Cancelled', { exact: true })).toBeVisible()
    await expect(tasks.count('cancelled')).toHaveText('1')
    await expect(tasks.count('pending')).toHaveText('1')
    await expect(detail.getByRole('button', { name: 'Cancel task' })).toHaveCount(0)

    await expect(page.getByRole('region', { name: 'Manual review (0)' })).toContainText('Nothing waits for review')
    // One truthful state on the worker card: paused is never also "running".
    await expect(tasks.workerStatus()).not.toHaveText('Paused')
    await tasks.setAutoprocessing(false)
    await expect(tasks.workerStatus()).toHaveText('Paused')
    await expect(tasks.worker).toContainText('Nothing new starts until you resume autoprocessing')
    await expect(tasks.worker.getByRole('heading')).not.toContainText(/running/i)
    await tasks.setAutoprocessing(true)
    await expect(tasks.workerStatus()).not.toHaveText('Paused')
  })
})
