import type { APIRequestContext } from '@playwright/test'
import { expect, test } from '../support/headless-host'
import { AppShell } from './pages/app-shell'
import { BoardPage } from './pages/board-page'
import { ChecklistPage } from './pages/checklist-page'
import { ModelsPage } from './pages/models-page'
import { SettingsPage } from './pages/settings-page'
import { TasksPage } from './pages/tasks-page'

/** What the core holds, read with the full-access token, so the test sees what the read-only window changed (nothing). */
async function holdings(
  request: APIRequestContext,
  origin: string,
  token: string
): Promise<{ tasks: number; nodes: number; decisions: number; logLevel: unknown }> {
  const call = async (name: string, input: unknown = {}): Promise<Record<string, unknown>> => {
    const reply = await request.post(`${origin}/api/call/${name}`, {
      headers: { Authorization: `Bearer ${token}` },
      data: input
    })
    expect(reply.status(), name).toBe(200)
    return ((await reply.json()) as { value: Record<string, unknown> }).value
  }
  const counters = (await call('tasks.counters')) as { byStatus: Record<string, number> }
  const models = (await call('models.list')) as { nodes: unknown[] }
  const board = (await call('board.decisions.list', {})) as { decisions: unknown[] }
  const config = (await call('config.get')) as { settings: { key: string; value: unknown }[] }
  return {
    tasks: Object.values(counters.byStatus).reduce((a, b) => a + b, 0),
    nodes: models.nodes.length,
    decisions: board.decisions.length,
    logLevel: config.settings.find((e) => e.key === 'log.level')?.value
  }
}

test.describe('read-only window', () => {
  test('shows a Read-only badge and every write control disabled with the reason before anyone types, and changes nothing', async ({
    page,
    host,
    request
  }) => {
    const before = await holdings(request, host.origin, host.fullToken)
    const app = new AppShell(page)
    await app.open(host.readOnlyUrl)
    await expect(app.connectionStatus).toHaveText('connected')
    for (const badge of [app.readOnlyBadge, app.readOnlyStatus]) {
      await expect(badge).toHaveText('Read-only')
      await expect(badge).toHaveAttribute('title', /full-access.*kos serve|kos serve.*full/i)
    }

    const tasks = new TasksPage(page)
    await app.go('Tasks')
    await expect(tasks.newTaskButton).toBeDisabled()
    await expect(tasks.newTaskButton).toHaveAttribute(
      'title',
      'Read-only window: creating a task needs the full-access link.'
    )
    // The form reached by its address (the palette's New task) has its Queue button disabled the same way.
    await page.goto(`${host.origin}/#/tasks/new`)
    await expect(tasks.queueButton).toBeDisabled()
    await expect(tasks.queueButton).toHaveAttribute(
      'title',
      'Read-only window: creating a task needs the full-access link.'
    )
    expect(await app.description(tasks.queueButton)).toContain('This window is read-only')
    // Even a form submitted by script (not by the disabled button) meets plain words, not the call's name.
    await tasks.fill({ title: 'Should not exist', description: 'typed in the read-only window' })
    await tasks.form.evaluate((form) => (form as HTMLFormElement).requestSubmit())
    await expect(tasks.form.getByRole('alert')).toContainText(
      'This window is read-only: creating a task needs the full-access link'
    )
    await expect(tasks.form.getByRole('alert')).not.toContainText('tasks.create')

    const models = new ModelsPage(page)
    await app.go('Models')
    await expect(models.addNodeButton).toBeDisabled()
    await expect(models.addNodeButton).toHaveAttribute('title', /adding a model server needs the full-access link/)
    expect(await app.description(models.addNodeButton)).toContain('This window is read-only')
    await expect(models.scanButton).toBeDisabled()
    await expect(models.scanButton).toHaveAttribute(
      'title',
      'Read-only window: scanning the model servers needs the full-access link.'
    )
    expect(await app.description(models.scanButton)).toContain('This window is read-only')

    const board = new BoardPage(page)
    await app.go('Board')
    await expect(board.ask).toBeDisabled()
    await expect(board.ask).toHaveAttribute('title', /asking the board needs the full-access link/)
    expect(await app.description(board.ask)).toContain('This window is read-only')

    const settings = new SettingsPage(page)
    await app.go('Settings')
    // The fields show the values but take no typing: nothing could be saved from here.
    await expect(settings.row('log.level').getByRole('combobox')).toBeDisabled()
    await expect(settings.row('log.level').locator('.setting-control')).toHaveAttribute(
      'title',
      /saving settings needs the full-access link/
    )
    await expect(settings.saveButton('log.level')).toBeDisabled()
    await expect(settings.saveButton('log.level')).toHaveAttribute(
      'title',
      /saving settings needs the full-access link/
    )

    // Running the checks starts work: disabled like every write, in the same words.
    const checklist = new ChecklistPage(page)
    await app.go('Checklist')
    await expect(checklist.runAll).toBeDisabled()
    await expect(checklist.runAll).toHaveAttribute(
      'title',
      'Read-only window: running the checks needs the full-access link.'
    )
    expect(await app.description(checklist.runAll)).toContain('This window is read-only')
    await page.screenshot({ path: test.info().outputPath('read-only-checklist.png') })

    expect(await holdings(request, host.origin, host.fullToken)).toEqual(before)
  })

  test('the full-access window has no badge and live controls', async ({ page, host }) => {
    const tasks = new TasksPage(page)
    await tasks.open(host.url)
    await expect(tasks.connectionStatus).toHaveText('connected')
    await tasks.go('Tasks')
    await tasks.fill({ title: 'A real task', description: 'queued from the full-access window' })
    await expect(tasks.queueButton).toBeEnabled()
    await expect(tasks.queueButton).not.toHaveAttribute('title', /.+/)
    await expect(tasks.readOnlyBadge).toHaveCount(0)
    await expect(tasks.readOnlyStatus).toHaveCount(0)
    await tasks.go('Checklist')
    await expect(new ChecklistPage(page).runAll).toBeEnabled()
  })
})
