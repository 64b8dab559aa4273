import { expect, test } from '../support/headless-host'
import { AppShell } from './pages/app-shell'
import { Palette } from './pages/palette'

test.describe('command palette and shortcuts', () => {
  test('shows the view shortcuts that work here, and they do', async ({ page, host }) => {
    const app = new AppShell(page)
    await app.open(host.url)
    await expect(app.heading).toHaveText('Tasks')
    // A browser keeps Ctrl+digit for its tabs: the hints say Alt, and Alt works.
    await expect(app.link('Models').locator('kbd')).toHaveText('Alt+7')
    await expect(app.link('Models')).toHaveAttribute('title', 'Models (Alt+7)')
    await page.keyboard.press('Alt+7')
    await expect(app.heading).toHaveText('Models')
    // Only the first nine views have a digit: no key press gives a tenth.
    await expect(app.link('Approvals').locator('kbd')).toHaveCount(0)
    await expect(app.nav.getByRole('button', { name: /Commands…/ })).toContainText('Ctrl+K')
  })

  test('goes to a view by a few letters, with arrow keys and Enter, and closes on Esc', async ({ page, host }) => {
    const app = new AppShell(page)
    const palette = new Palette(page)
    await app.open(host.url)
    await expect(app.heading).toHaveText('Tasks')
    await palette.open()
    await expect(palette.input).toBeFocused()
    await expect(palette.input).toHaveAttribute('aria-expanded', 'true')
    await palette.input.fill('kno')
    await expect(palette.selected()).toContainText('Knowledge')
    await page.keyboard.press('Enter')
    await expect(palette.dialog).toBeHidden()
    await expect(app.heading).toHaveText('Knowledge')

    await palette.open()
    await expect(palette.options.first()).toContainText('Overview')
    await page.keyboard.press('ArrowDown')
    await expect(palette.selected()).toContainText('Chat')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp')
    await expect(palette.selected()).toContainText(/Find a setting/)
    await palette.input.fill('zzqx')
    await expect(palette.dialog.getByText('No command matches “zzqx”.')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(palette.dialog).toBeHidden()
    await expect(app.heading).toHaveText('Knowledge')
  })

  test('runs the checklist, returns deferred tasks, starts a chat and opens the New task form', async ({
    page,
    host
  }) => {
    const app = new AppShell(page)
    const palette = new Palette(page)
    await app.open(host.url)
    await expect(app.heading).toHaveText('Tasks')

    await palette.open()
    await palette.input.fill('return deferred')
    await page.keyboard.press('Enter')
    await expect(palette.status).toHaveText('No task is waiting in manual review: nothing to return.')
    await page.keyboard.press('Escape')

    await palette.open()
    await palette.input.fill('run the checklist')
    await page.keyboard.press('Enter')
    await expect(app.heading).toHaveText('Checklist')

    await palette.open()
    await palette.input.fill('start a chat')
    await page.keyboard.press('Enter')
    await expect(app.heading).toHaveText('Chat')
    await expect(page).toHaveURL(/#\/chat\/[^/]+$/)

    await palette.open()
    await palette.input.fill('new task')
    await page.keyboard.press('Enter')
    await expect(app.heading).toHaveText('Tasks')
    await expect(page.getByRole('form', { name: 'New task' })).toBeVisible()
    await expect(page.getByRole('form', { name: 'New task' }).getByLabel('Title')).toBeFocused()
  })

  test('shows write commands disabled with the reason in a read-only window', async ({ page, host }) => {
    const app = new AppShell(page)
    const palette = new Palette(page)
    await app.open(host.readOnlyUrl)
    await expect(app.readOnlyBadge).toBeVisible()
    await palette.open()
    await palette.input.fill('return deferred')
    const option = palette.option('Return deferred tasks to autoprocessing')
    await expect(option).toHaveAttribute('aria-disabled', 'true')
    await expect(option).toHaveAttribute('title', /^Read-only window: returning a task/)
    await page.keyboard.press('Enter')
    await expect(palette.dialog).toBeVisible()
    await expect(app.heading).toHaveText('Tasks')
  })
})
