import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '../support/headless-host'
import { SettingsPage } from './pages/settings-page'

test.describe('settings', () => {
  test('shows groups for people, the essentials first, each setting by its label with the key small', async ({
    page,
    host
  }) => {
    const settings = new SettingsPage(page)
    await settings.open(host.url, 'settings')
    await expect(settings.group('Model servers')).toBeVisible()
    expect((await settings.groupNames()).slice(0, 4)).toEqual(['Model servers', 'Models', 'Knowledge', 'Budget'])
    const row = settings.row('ollama.apiUrl')
    await expect(row.getByLabel('Ollama server')).toHaveValue('http://127.0.0.1:9')
    await expect(row.locator('code')).toHaveText('ollama.apiUrl')
    // The e2e host sets the server URL in the environment: the badge says so.
    await expect(settings.source('ollama.apiUrl')).toHaveText('Environment KOS_OLLAMA_API_URL')
  })

  test('finds a setting by any word of its label, key or help, and says when nothing matches', async ({
    page,
    host
  }) => {
    const settings = new SettingsPage(page)
    await settings.open(host.url, 'settings')
    await settings.search.fill('token budget')
    await expect(settings.row('chat.dailyTokenBudget')).toBeVisible()
    await expect(settings.row('ollama.apiUrl')).toHaveCount(0)
    await expect(page.getByText(/^\d+ of \d+ settings match$/)).toBeVisible()
    await settings.search.fill('maxattempts')
    await expect(page.locator('[data-setting]')).toHaveCount(1)
    await settings.search.fill('zzz no such thing')
    await expect(page.getByText('No setting matches “zzz no such thing”.', { exact: false })).toBeVisible()
    await settings.search.press('Escape')
    await expect(settings.row('ollama.apiUrl')).toBeVisible()
  })

  test('saves a group’s changes with one Save that is disabled, and looks it, until something changes', async ({
    page,
    host
  }) => {
    const settings = new SettingsPage(page)
    await settings.open(host.url, 'settings')
    const save = settings.saveButton('worker.maxConcurrency')
    await expect(save).toBeDisabled()
    const disabledBackground = await save.evaluate((b) => getComputedStyle(b).backgroundColor)
    await settings.row('worker.maxConcurrency').getByRole('spinbutton').fill('6')
    await settings.row('worker.maxAttempts').getByRole('spinbutton').fill('4')
    await expect(save).toBeEnabled()
    await expect(save).toHaveText('Save 2 changes')
    // A disabled Save must not look like an enabled one.
    expect(await save.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(disabledBackground)
    await expect(settings.group('Worker').getByText('2 unsaved changes in Worker')).toBeVisible()
    await save.click()
    await expect(settings.group('Worker').getByText('Saved to your settings file.')).toBeVisible()
    await expect(save).toBeDisabled()
    await expect(settings.source('worker.maxConcurrency')).toHaveText('Your settings')
    await expect(settings.source('worker.maxAttempts')).toHaveText('Your settings')
    const file = JSON.parse(readFileSync(join(host.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>
    expect(file).toMatchObject({ 'worker.maxConcurrency': 6, 'worker.maxAttempts': 4 })
  })

  test('refuses a bad value beside its field, naming the setting, the value and what to enter, and stores nothing of the group', async ({
    page,
    host
  }) => {
    const settings = new SettingsPage(page)
    await settings.open(host.url, 'settings')
    await settings.row('worker.maxConcurrency').getByRole('spinbutton').fill('6')
    await settings.row('worker.maxAttempts').getByRole('spinbutton').fill('99')
    await settings.save('worker.maxAttempts')
    await expect(settings.row('worker.maxAttempts').getByRole('alert')).toHaveText(
      '"Attempts per task" (worker.maxAttempts) cannot be 99: enter a whole number from 1 to 10 (attempts); the default is 3.'
    )
    // Nothing of the group was stored, and what was typed is still there to fix.
    await expect(settings.source('worker.maxConcurrency')).not.toHaveText('Your settings')
    await expect(settings.row('worker.maxConcurrency').getByRole('spinbutton')).toHaveValue('6')
    await settings.row('worker.maxAttempts').getByRole('spinbutton').fill('5')
    await expect(settings.row('worker.maxAttempts').getByRole('alert')).toHaveCount(0)
    await settings.save('worker.maxAttempts')
    await expect(settings.source('worker.maxAttempts')).toHaveText('Your settings')
  })
})
