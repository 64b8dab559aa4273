import { expect, test } from '../support/headless-host'

test.describe('Tasks view', () => {
  test('create with validation, live counters, detail, keyboard, duplicate refusal and cancel', async ({ page, host }) => {
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Tasks' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tasks')
    const counters = page.getByRole('region', { name: 'Tasks by status' })
    const count = (status: string) => counters.locator(`[data-count="${status}"]`)
    await expect(count('pending')).toHaveText('0')
    await expect(page.getByText('No tasks yet.')).toBeVisible()

    const form = page.getByRole('form', { name: 'New task' })
    await form.getByRole('button', { name: 'Queue task' }).click()
    await expect(form.getByText('A title needs at least 3 characters')).toBeVisible()
    await expect(form.getByText('A description needs at least 10 characters')).toBeVisible()
    await expect(form.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true')

    await form.getByLabel('Title').fill('Summarise the Q3 report')
    await form.getByLabel('Description').fill('Summarise the quarterly report in five bullet points for the board.')
    await form.getByLabel('Priority').selectOption('high')
    await form.getByLabel('Expert').fill('analyst')
    await form.getByRole('button', { name: 'Queue task' }).click()
    await expect(form.getByLabel('Title')).toHaveValue('')
    await expect(count('pending')).toHaveText('1')
    const detail = page.getByRole('region', { name: 'Summarise the Q3 report' })
    await expect(detail.getByText('Pending', { exact: true })).toBeVisible()
    await expect(detail.getByRole('list', { name: 'Events of this task' })).toContainText('created')

    // A task created elsewhere (another client, the CLI, an agent) shows up without a refresh.
    const created = await page.request.post(`${host.origin}/api/call/tasks.create`, {
      headers: { Authorization: `Bearer ${host.fullToken}` },
      data: { title: 'Draft the launch memo', description: 'Write a one-page memo announcing the launch.', domain: 'marketing' }
    })
    expect(created.ok()).toBe(true)
    await expect(count('pending')).toHaveText('2')
    // No model server is reachable here: the tasks wait, and the view says why instead of leaving them unexplained.
    await expect(page.getByTestId('tasks-waiting')).toContainText('No model server that could run this task is up')
    const list = page.getByRole('listbox', { name: 'Tasks' })
    await expect(list.getByRole('option')).toHaveCount(2)

    await list.focus()
    await page.keyboard.press('Home')
    await page.keyboard.press('Enter')
    await expect(page.getByRole('region', { name: 'Draft the launch memo' })).toBeVisible()
    await page.getByLabel('Domain', { exact: true }).first().selectOption('marketing')
    await expect(list.getByRole('option')).toHaveCount(1)
    await page.getByLabel('Domain', { exact: true }).first().selectOption('')
    await page.getByLabel('Search').fill('Q3')
    await expect(list.getByRole('option')).toHaveCount(1)
    await list.getByRole('option').click()

    await form.getByLabel('Title').fill('summarise the  Q3 report')
    await form.getByLabel('Description').fill('Summarise the quarterly report in five bullet points for the board.')
    await form.getByLabel('Expert').fill('analyst')
    await form.getByRole('button', { name: 'Queue task' }).click()
    await expect(form.getByRole('alert')).toContainText('within the last 30 days')
    await expect(form.getByRole('button', { name: 'Open the existing task' })).toBeVisible()

    await detail.getByRole('button', { name: 'Cancel task' }).click()
    await expect(detail.getByText('Cancelled', { exact: true })).toBeVisible()
    await expect(count('cancelled')).toHaveText('1')
    await expect(count('pending')).toHaveText('1')
    await expect(detail.getByRole('button', { name: 'Cancel task' })).toHaveCount(0)

    await expect(page.getByRole('region', { name: 'Manual review (0)' })).toContainText('Nothing waits for review')
    await expect(page.getByRole('region', { name: 'Worker' })).toContainText('State: running.')
  })
})
