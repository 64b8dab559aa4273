import { expect, test } from '../support/headless-host'

const VIEWS = ['Overview', 'Chat', 'Tasks', 'Board', 'Checklist', 'Models', 'Knowledge', 'Settings']

test.describe('headless host in a browser', () => {
  test('opens with the token, swaps it for a session cookie and drops it from the address', async ({ page, host }) => {
    await page.goto(host.url)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tasks')
    expect(page.url()).not.toContain('token=')
    await expect(page.getByTestId('connection-status')).toHaveText('connected')
    const cookies = await page.context().cookies()
    expect(cookies.find((c) => c.name === 'kos_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' })
  })

  test('navigates across every view by mouse and by keyboard', async ({ page, host }) => {
    await page.goto(host.url)
    const nav = page.getByRole('navigation', { name: 'Views' })
    for (const name of VIEWS) {
      await nav.getByRole('link', { name }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
    }
    await page.keyboard.press('Alt+3')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tasks')
    await expect(page).toHaveURL(/#\/tasks$/)

    await nav.getByRole('link', { name: 'Tasks' }).focus()
    await page.keyboard.press('ArrowDown')
    await expect(nav.getByRole('link', { name: 'Board' })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Board')
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused()
    await page.goBack()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tasks')
  })

  test('changes a setting through the contract and keeps it across a reload', async ({ page, host }) => {
    await page.goto(`${host.url}`)
    await page.getByRole('link', { name: 'Settings' }).click()
    const row = page.locator('[data-setting="log.level"]')
    await expect(row.getByTestId('setting-source')).toHaveText('built-in default')
    await row.getByRole('combobox').selectOption('debug')
    await row.getByRole('button', { name: 'Save' }).click()
    await expect(row.getByTestId('setting-source')).toHaveText(/^settings file .*settings\.json$/)

    await page.reload()
    await expect(row.getByRole('combobox')).toHaveValue('debug')
    await row.getByRole('button', { name: 'Reset' }).click()
    await expect(row.getByTestId('setting-source')).toHaveText('built-in default')
  })

  test('shows the core’s refusal of a bad value beside the field', async ({ page, host }) => {
    await page.goto(`${host.url}`)
    await page.getByRole('link', { name: 'Settings' }).click()
    const row = page.locator('[data-setting="worker.maxAttempts"]')
    await row.getByRole('spinbutton').fill('0')
    await row.getByRole('button', { name: 'Save' }).click()
    await expect(row.getByRole('alert')).toHaveText('worker.maxAttempts = 0 is not valid: expected a whole number from 1 to 10 (attempts).')
    await expect(row.getByTestId('setting-source')).toHaveText('built-in default')
  })

  test('shows a change made by another client at once', async ({ page, host, request }) => {
    await page.goto(`${host.url}#/settings`)
    const row = page.locator('[data-setting="worker.maxConcurrency"]')
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

  test('answers 403 to a read-only token on a write call, in the API and in the app', async ({ page, host, request }) => {
    const write = await request.post(`${host.origin}/api/call/config.set`, {
      headers: { Authorization: `Bearer ${host.readOnlyToken}` },
      data: { key: 'log.level', value: 'debug' }
    })
    expect(write.status()).toBe(403)
    expect(await write.json()).toMatchObject({ ok: false, error: { code: 'forbidden', call: 'config.set' } })

    await page.goto(`${host.readOnlyUrl}`)
    await page.getByRole('link', { name: 'Settings' }).click()
    const row = page.locator('[data-setting="log.level"]')
    await row.getByRole('combobox').selectOption('warn')
    await row.getByRole('button', { name: 'Save' }).click()
    await expect(row.getByRole('alert')).toContainText('needs write access')
  })

  test('answers malformed frames on the WebSocket with typed errors', async ({ page, host }) => {
    await page.goto(host.url)
    await expect(page.getByTestId('connection-status')).toHaveText('connected')
    const replies = await page.evaluate(async () => {
      const ws = new WebSocket(`ws://${location.host}/rpc`)
      await new Promise((resolve) => (ws.onopen = resolve))
      const frames = ['{not json', JSON.stringify({ type: 'call', id: 9, name: 'config.set', input: 'x' }), JSON.stringify({ type: 'call', id: 10, name: 'app.info', input: {} })]
      const answers: unknown[] = []
      for (const frame of frames) {
        const answer = new Promise((resolve) => (ws.onmessage = (m) => resolve(JSON.parse(String(m.data)))))
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
