import { readFileSync } from 'node:fs'
import { expect, test } from '../support/headless-host'

// With no model server reachable (the e2e host points at a closed port), the
// chat must keep the question and end the answer with the router's reason.
test.describe('Chat view with no model server reachable', () => {
  test('a sent message ends with the reason instead of a spinner, and Retry tries again', async ({ page, host }) => {
    await page.goto(`${host.url}`)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Chat' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chat')

    await page.getByRole('textbox', { name: 'Message to Victoria' }).fill('Write a Python function that parses ISO dates')
    await page.keyboard.press('Enter')
    const answer = page.getByRole('article', { name: /^Answer by / })
    await expect(answer.getByRole('alert')).toContainText('No model is available: no node is reachable')
    await expect(answer).toHaveAttribute('aria-busy', 'false')
    await expect(answer.getByRole('button', { name: 'Retry' })).toBeVisible()
    await expect(page.getByRole('article', { name: 'Your message' })).toContainText('Write a Python function that parses ISO dates')
    await expect(page.getByRole('navigation', { name: 'Chat sessions' }).getByRole('button', { name: /Write a Python function/ })).toBeVisible()

    await answer.getByRole('button', { name: 'Retry' }).click()
    await expect(page.getByRole('article', { name: /^Answer by / })).toHaveCount(2)
    await expect(page.getByRole('article', { name: /^Answer by / }).nth(1).getByRole('alert')).toContainText('No model is available')

    await page.reload()
    await expect(page.getByRole('article', { name: /^Answer by / })).toHaveCount(2)
  })

  test('creates, renames, searches and deletes sessions, and keeps them across a reload', async ({ page, host }) => {
    await page.goto(`${host.url}#/chat`)
    const sessions = page.getByRole('navigation', { name: 'Chat sessions' })
    await expect(sessions).toContainText('No conversations yet')
    await sessions.getByRole('button', { name: 'New conversation' }).click()
    await expect(sessions.getByRole('button', { name: /^New conversation/ }).nth(1)).toBeVisible()

    await sessions.getByRole('button', { name: 'Rename' }).click()
    await sessions.getByRole('textbox', { name: 'Session title' }).fill('Quarterly planning')
    await page.keyboard.press('Enter')
    await expect(sessions.getByRole('button', { name: /Quarterly planning/ })).toBeVisible()

    await sessions.getByRole('button', { name: 'Rename' }).click()
    await sessions.getByRole('textbox', { name: 'Session title' }).fill('   ')
    await sessions.getByRole('button', { name: 'Save' }).click()
    await expect(sessions.getByRole('alert')).toHaveText('Call "chat.sessions.rename" was refused: title: A session title cannot be empty.')
    await sessions.getByRole('button', { name: 'Cancel' }).click()

    await sessions.getByRole('searchbox', { name: 'Search conversations' }).fill('quarterly')
    await expect(sessions.getByRole('button', { name: /Quarterly planning/ })).toBeVisible()
    await sessions.getByRole('searchbox', { name: 'Search conversations' }).fill('zebra')
    await expect(sessions).toContainText('No conversation mentions “zebra”.')
    await sessions.getByRole('searchbox', { name: 'Search conversations' }).fill('')

    await page.reload()
    await expect(sessions.getByRole('button', { name: /Quarterly planning/ })).toBeVisible()
    await sessions.getByRole('button', { name: /Quarterly planning/ }).click()
    await sessions.getByRole('button', { name: 'Delete', exact: true }).click()
    await sessions.getByRole('button', { name: 'Delete for good' }).click()
    await expect(sessions).toContainText('No conversations yet')
  })

  test('exports a session as Markdown', async ({ page, host }) => {
    await page.goto(`${host.url}#/chat`)
    await page.getByRole('textbox', { name: 'Message to Victoria' }).fill('What is a closure?')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(page.getByRole('article', { name: /^Answer by / }).getByRole('alert')).toBeVisible()
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export as Markdown' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^what-is-a-closure-\d{4}-\d{2}-\d{2}\.md$/)
    const text = readFileSync((await file.path()) ?? '', 'utf8')
    expect(text).toContain('# What is a closure?')
    expect(text).toContain('*Failed: The answer failed: No model is available')
  })

  test('edits the lead agent’s name in the team and resets it', async ({ page, host }) => {
    await page.goto(`${host.url}#/chat`)
    await page.getByRole('button', { name: 'Team' }).click()
    const victoria = page.getByRole('article', { name: 'Victoria' })
    await victoria.getByRole('button', { name: 'Edit' }).click()
    await victoria.getByRole('textbox', { name: 'Name' }).fill('Vika')
    await victoria.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByRole('textbox', { name: 'Message to Vika' })).toBeVisible()
    const vika = page.getByRole('article', { name: 'Vika' })
    await expect(vika).toContainText('edited')
    await vika.getByRole('button', { name: 'Reset' }).click()
    await expect(page.getByRole('textbox', { name: 'Message to Victoria' })).toBeVisible()
  })
})
