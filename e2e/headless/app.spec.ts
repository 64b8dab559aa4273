import { expect, test } from '../support/headless-host'
import { AppShell, VIEW_NAMES } from './pages/app-shell'
import { SettingsPage } from './pages/settings-page'

test.describe('headless host in a browser', () => {
  test('opens with the token, swaps it for a session cookie and drops it from the address', async ({ page, host }) => {
    const app = new AppShell(page)
    await app.open(host.url)
    await expect(app.heading).toHaveText('Tasks')
    expect(page.url()).not.toContain('token=')
    await expect(app.connectionStatus).toHaveText('connected')
    const cookies = await page.context().cookies()
    expect(cookies.find((c) => c.name === 'kos_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' })
  })

  test('navigates across every view by mouse and by keyboard', async ({ page, host }) => {
    const app = new AppShell(page)
    await app.open(host.url)
    for (const name of VIEW_NAMES) {
      await app.go(name)
      await expect(app.heading).toHaveText(name)
    }
    await page.keyboard.press('Alt+3')
    await expect(app.heading).toHaveText('Tasks')
    await expect(page).toHaveURL(/#\/tasks$/)

    await app.link('Tasks').focus()
    await page.keyboard.press('ArrowDown')
    await expect(app.link('Board')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(app.heading).toHaveText('Board')
    await expect(app.heading).toBeFocused()
    await page.goBack()
    await expect(app.heading).toHaveText('Tasks')
  })

  test('changes a setting through the contract and keeps it across a reload', async ({ page, host }) => {
    const settings = new SettingsPage(page)
    await settings.open(host.url)
    await settings.go('Settings')
    const row = settings.row('log.level')
    await expect(settings.source('log.level')).toHaveText('Default')
    await expect(settings.saveButton('log.level')).toBeDisabled()
    await row.getByRole('combobox').selectOption('debug')
    await settings.save('log.level')
    await expect(settings.source('log.level')).toHaveText('Your settings')
    await expect(settings.source('log.level')).toHaveAttribute('title', /^settings file .*settings\.json$/)

    await page.reload()
    await expect(row.getByRole('combobox')).toHaveValue('debug')
    await settings.reset('log.level')
    await expect(settings.source('log.level')).toHaveText('Default')
  })

  test('shows the core’s refusal of a bad value beside the field', async ({ page, host }) => {
    const settings = new SettingsPage(page)
    await settings.open(host.url)
    await settings.go('Settings')
    const row = settings.row('worker.maxAttempts')
    await row.getByRole('spinbutton').fill('0')
    await settings.save('worker.maxAttempts')
    await expect(row.getByRole('alert')).toHaveText(
      '"Attempts per task" (worker.maxAttempts) cannot be 0: enter a whole number from 1 to 10 (attempts); the default is 3.'
    )
    await expect(settings.source('worker.maxAttempts')).toHaveText('Default')
  })

  test('shows a change made by another client at once', async ({ page, host, request }) => {
    const settings = new SettingsPage(page)
    await settings.open(host.url, 'settings')
    const row = settings.row('worker.maxConcurrency')
    await expect(row.getByRole('spinbutton')).toHaveValue('4')
    const reply = await request.post(`${host.origin}/api/call/config.set`, {
      headers: { Authorization: `Bearer ${host.fullToken}` },
      data: { key: 'worker.maxConcurrency', value: 6 }
    })
    expect(reply.status()).toBe(200)
    await expect(row.getByRole('spinbutton')).toHaveValue('6')
  })

  test('answers 401 to a visitor without a token', async ({ page, host, request }) => {
    expect((await request.get(`${host.origin}/`)).status()).toBe(401)
    expect((await request.post(`${host.origin}/api/call/app.info`, { data: {} })).status()).toBe(401)
    const response = await page.goto(host.origin)
    expect(response?.status()).toBe(401)
    await expect(page.locator('body')).toContainText('Open the URL printed by `kos serve`')
  })

  test('answers 403 to a read-only token on a write call, in the API and in the app', async ({
    page,
    host,
    request
  }) => {
    const write = await request.post(`${host.origin}/api/call/config.set`, {
      headers: { Authorization: `Bearer ${host.readOnlyToken}` },
      data: { key: 'log.level', value: 'debug' }
    })
    expect(write.status()).toBe(403)
    expect(await write.json()).toMatchObject({ ok: false, error: { code: 'forbidden', call: 'config.set' } })

    const settings = new SettingsPage(page)
    await settings.open(host.readOnlyUrl)
    await settings.go('Settings')
    // The window knows it is read-only: the field takes no edit and Save is disabled with the reason,
    // before the core has to refuse anything.
    await expect(settings.row('log.level').getByRole('combobox')).toBeDisabled()
    await expect(settings.saveButton('log.level')).toBeDisabled()
    await expect(settings.saveButton('log.level')).toHaveAttribute('title', /read-only/i)
  })

  test('answers malformed frames on the WebSocket with typed errors', async ({ page, host }) => {
    const app = new AppShell(page)
    await app.open(host.url)
    await expect(app.connectionStatus).toHaveText('connected')
    const replies = await page.evaluate(async () => {
      const ws = new WebSocket(`ws://${location.host}/rpc`)
      await new Promise((resolve) => (ws.onopen = resolve))
      const frames = [
        '{not json',
        JSON.stringify({ type: 'call', id: 9, name: 'config.set', input: 'x' }),
        JSON.stringify({ type: 'call', id: 10, name: 'app.info', input: {} })
      ]
      const answers: unknown[] = []
      for (const frame of frames) {
        // Pushed events (a checklist run, a model scan) may arrive between the replies: only a reply has an id.
        const answer = new Promise((resolve) => {
          ws.onmessage = (m) => {
            const message = JSON.parse(String(m.data)) as Record<string, unknown>
            if ('id' in message) resolve(message)
          }
        })
        ws.send(frame)
        answers.push(await answer)
      }
      ws.close()
      return answers
    })
    expect(replies).toMatchObject([
      { id: null, result: { ok: false, error: { code: 'bad_request' } } },
      { id: 9, result: { ok: false, error: { code: 'invalid_input', call: 'config.set' } } },
      { id: 10, result: { ok: true } }
    ])
  })
})
