import { expect, test } from '../support/headless-host'
import { TasksPage } from './pages/tasks-page'

test.describe('New task form', () => {
  test.use({ viewport: { width: 1440, height: 900 } })

  test('opens at the top of the Tasks view, whole within 1440×900, and the lead agent assigns the expert', async ({
    page,
    host
  }) => {
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks')
    await expect(tasks.newTaskButton).toBeInViewport()
    await tasks.openForm()
    await expect(tasks.form.getByLabel('Title')).toBeFocused()
    // The whole form, its Queue button included, is above the fold.
    await expect(tasks.queueButton).toBeInViewport()
    await expect(tasks.form.getByLabel('Description')).toBeInViewport()
    await expect(tasks.form.getByLabel('Expert')).toHaveValue('auto')
    await expect(tasks.form.getByLabel('Expert').locator('option')).toContainText([
      'Auto: Victoria picks by domain',
      'Igor, Software engineer (coding, programming, debugging, devops, testing, code)'
    ])

    await tasks.create({
      title: 'Fix the flaky unit test',
      description: 'The python function throws on an empty list; fix the bug and add a unit test.'
    })
    await expect(tasks.form.getByRole('status')).toHaveText('Queued “Fix the flaky unit test”.')
    // The lead agent read the domain from the text and gave the task to the coding expert.
    const detail = tasks.detail('Fix the flaky unit test')
    await tasks.rows().filter({ hasText: 'Fix the flaky unit test' }).click()
    await expect(detail.getByText('coding · Igor, Software engineer')).toBeVisible()

    await tasks.create({
      title: 'Announce the release',
      description: 'A short announcement of the new release for the blog.',
      expert: 'olga'
    })
    await tasks.rows().filter({ hasText: 'Announce the release' }).click()
    await expect(tasks.detail('Announce the release').getByText('— · Olga, Data analyst')).toBeVisible()

    await tasks.form.getByRole('button', { name: 'Close' }).click()
    await expect(tasks.form).toBeHidden()
  })

  test('checks the fields with the contract’s rules before sending', async ({ page, host }) => {
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks/new')
    await expect(tasks.form).toBeVisible()
    await tasks.fill({ title: 'ab', description: 'short' })
    await tasks.queue()
    await expect(tasks.form.getByText('A title needs at least 3 characters')).toBeVisible()
    await expect(tasks.form.getByText('A description needs at least 10 characters')).toBeVisible()
    await expect(tasks.count('all')).toHaveText('0')
  })

  test('refuses a preferred node nobody has beside its field, naming the nodes there are, and queues nothing', async ({
    page,
    host
  }) => {
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks/new')
    await tasks.create({
      title: 'Summarise the backup policy',
      description: 'Three bullet points for the ops team.',
      preferredBackend: 'stduio'
    })
    const field = tasks.form.getByLabel('Preferred backend')
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(
      tasks.form.getByText('There is no node "stduio". Pick one of: ollama-local (Ollama on this Mac)')
    ).toBeVisible()
    await expect(tasks.count('all')).toHaveText('0')
  })
})
