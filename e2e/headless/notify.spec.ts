import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '../support/headless-host'

/** A loopback endpoint standing in for the owner's webhook (an ntfy topic, a Slack hook, a script). */
async function endpoint(): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      bodies.push(body)
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, server }
}

test.describe('notifications and the digest', () => {
  test('sets a webhook in Settings, sends a test to it, and shows the digest in the Overview', async ({
    page,
    host
  }, info) => {
    const hook = await endpoint()
    try {
      await page.goto(host.url)
      await page.getByRole('link', { name: 'Settings' }).click()
      const section = page.getByRole('region', { name: 'Notifications' })
      await expect(section.getByRole('button', { name: 'Send test' })).toBeDisabled()
      const row = page.locator('[data-setting="notify.webhookUrl"]')
      await row.getByRole('textbox').fill(hook.url)
      await section.getByRole('button', { name: 'Save', exact: true }).click()
      await expect(row.getByTestId('setting-source')).toHaveText('Your settings')
      await section.getByRole('button', { name: 'Send test' }).click()
      await expect(section.getByText('Delivered: the endpoint answered HTTP 200.')).toBeVisible()
      await expect(section.getByText(/^Delivered 1, waiting 0, given up 0, dropped 0/)).toBeVisible()
      expect(JSON.parse(hook.bodies[0] ?? '')).toMatchObject({
        source: 'knowledge-os',
        kind: 'test',
        title: 'Knowledge OS: test notification'
      })
      await section.screenshot({ path: info.outputPath('settings-notifications.png') })

      await page.getByRole('link', { name: 'Overview' }).click()
      const card = page.getByRole('region', { name: 'What happened' })
      await expect(card.getByTestId('digest-completed')).toHaveText('0')
      await expect(card.getByText('(no earlier visit recorded: since the digest hour)')).toBeVisible()
      await card.getByRole('button', { name: 'Since this morning' }).click()
      await expect(card.getByRole('button', { name: 'Since this morning' })).toHaveAttribute('aria-pressed', 'true')
      // The first visit was recorded: coming back reads from it.
      await page.getByRole('link', { name: 'Tasks' }).click()
      await page.getByRole('link', { name: 'Overview' }).click()
      await expect(card.getByText('(no earlier visit recorded: since the digest hour)')).toHaveCount(0)
      await expect(card.getByTestId('digest-completed')).toHaveText('0')
      await page.screenshot({ path: info.outputPath('overview-digest.png'), fullPage: true })
    } finally {
      hook.server.closeAllConnections()
      await new Promise((resolve) => hook.server.close(resolve))
    }
  })
})
