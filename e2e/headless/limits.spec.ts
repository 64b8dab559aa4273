import { expect, test } from '../support/headless-host'

test.describe('limits and loopback names in a browser', () => {
  test('opens the app as localhost when the host printed 127.0.0.1, and its calls and WebSocket work', async ({
    page,
    host
  }) => {
    const url = host.url.replace('127.0.0.1', 'localhost')
    await page.goto(url)
    await expect(page.getByTestId('connection-status')).toHaveText('connected')
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Knowledge' }).click()
    await expect(page.getByRole('heading', { name: 'The knowledge base is empty' })).toBeVisible()
    const session = await page.evaluate(async () => (await fetch('/api/session')).status)
    expect(session).toBe(200)
  })

  test('refuses a text over the limit in Knowledge → Add a text before sending it, in plain words, and stays connected', async ({
    page,
    host
  }) => {
    test.setTimeout(90_000)
    await page.goto(host.url)
    await expect(page.getByTestId('connection-status')).toHaveText('connected')
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Knowledge' }).click()
    const form = page.getByRole('form', { name: 'Add a text' })
    await form.getByLabel('Title').fill('A whole book')
    // CSS locators from here on: a role query would compute accessible names over 17 MB of text.
    const text = page.locator('form[aria-label="Add a text"] textarea')
    const add = page.locator('form[aria-label="Add a text"] button[type="submit"]')
    // Pasted in the page: typing 17 MB through the automation protocol takes longer than the test may.
    const paste = (line: string, times: number) =>
      text.evaluate(
        (area: HTMLTextAreaElement, [value, count]) => {
          Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(area, value.repeat(count))
          area.dispatchEvent(new Event('input', { bubbles: true }))
        },
        [line, times] as [string, number]
      )
    await expect(page.getByText('Up to 16.0 MB; import anything larger as a file.')).toBeVisible()
    await paste('A line of a very long book. ', 650_000)
    // Chromium takes seconds to lay out 17 MB in a text area, as it does for a person pasting it.
    await add.click()
    // The form checks the text with the call's own schema, whose limit is the one the transport carries: nothing is sent.
    await expect(text).toHaveAttribute('aria-invalid', 'true')
    await expect(page.locator('form[aria-label="Add a text"] .field-error')).toHaveText(
      'The text is too long for one call: save it as a file and import that instead.'
    )
    await expect(page.getByTestId('connection-status')).toHaveText('connected')

    // The same call from a script that skips the bridge: the host closes that one socket (1009) and goes on.
    const code = await page.evaluate(async () => {
      const ws = new WebSocket(`ws://${location.host}/rpc`)
      await new Promise((resolve) => (ws.onopen = resolve))
      const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)))
      ws.send(
        JSON.stringify({
          type: 'call',
          id: 1,
          name: 'knowledge.addText',
          input: { title: 't', content: 'x'.repeat(17 * 1024 * 1024) }
        })
      )
      return closed
    })
    expect(code).toBe(1009)
    await paste('A short note that fits.', 1)
    await add.click()
    await expect(page.getByText('Added “A whole book”')).toBeVisible()
  })
})
