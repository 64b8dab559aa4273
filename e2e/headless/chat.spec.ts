import { readFileSync } from 'node:fs'
import { expect, test } from '../support/headless-host'
import { ChatPage } from './pages/chat-page'

// With no model server reachable (the e2e host points at a closed port), the
// chat must keep the question and end the answer with the router's reason.
test.describe('Chat view with no model server reachable', () => {
  test('a sent message ends with the reason instead of a spinner, and Retry tries again', async ({ page, host }) => {
    const chat = new ChatPage(page)
    await chat.open(host.url)
    await chat.go('Chat')
    await expect(chat.heading).toHaveText('Chat')

    await chat.send('Write a Python function that parses ISO dates', 'Victoria')
    const answer = chat.answers
    await expect(answer.getByRole('alert')).toContainText('No model is available: no node is reachable')
    await expect(answer).toHaveAttribute('aria-busy', 'false')
    await expect(answer.getByRole('button', { name: 'Retry' })).toBeVisible()
    await expect(chat.questions).toContainText('Write a Python function that parses ISO dates')
    await expect(chat.session(/Write a Python function/)).toBeVisible()

    await answer.getByRole('button', { name: 'Retry' }).click()
    await expect(chat.answers).toHaveCount(2)
    await expect(chat.answers.nth(1).getByRole('alert')).toContainText('No model is available')

    await page.reload()
    await expect(chat.answers).toHaveCount(2)
  })

  test('keeps each question above its answer while the conversation stays open, and titles a new conversation after its first question', async ({
    page,
    host
  }) => {
    const chat = new ChatPage(page)
    await chat.open(host.url, 'chat')
    await chat.sessions.getByRole('button', { name: 'New conversation' }).click()
    await chat.send('How do I rotate the nightly backups?', 'Victoria')
    await expect(chat.answers.getByRole('alert')).toHaveCount(1, { timeout: 15_000 })
    await expect(chat.session(/How do I rotate the nightly backups\?/)).toBeVisible()
    // Only the button says "New conversation": the session it made took its question's words.
    await expect(chat.sessions.getByRole('button', { name: /New conversation/ })).toHaveCount(1)

    await chat.send('And the weekly ones?', 'Victoria')
    await expect(chat.answers.getByRole('alert')).toHaveCount(2, { timeout: 15_000 })
    const inOrder = [
      expect.stringMatching(/^You: How do I rotate/),
      'Answer by Victoria',
      expect.stringMatching(/^You: And the weekly ones\?/),
      'Answer by Victoria'
    ]
    expect(await chat.transcript()).toEqual(inOrder)
    await page.reload()
    await expect(chat.answers).toHaveCount(2)
    expect(await chat.transcript()).toEqual(inOrder)
  })

  test('creates, renames, searches and deletes sessions, and keeps them across a reload', async ({ page, host }) => {
    const chat = new ChatPage(page)
    await chat.open(host.url, 'chat')
    const sessions = chat.sessions
    await expect(sessions).toContainText('No conversations yet')
    await sessions.getByRole('button', { name: 'New conversation' }).click()
    await expect(sessions.getByRole('button', { name: /^New conversation/ }).nth(1)).toBeVisible()

    await sessions.getByRole('button', { name: 'Rename' }).click()
    await sessions.getByRole('textbox', { name: 'Session title' }).fill('Quarterly planning')
    await page.keyboard.press('Enter')
    await expect(chat.session(/Quarterly planning/)).toBeVisible()

    await sessions.getByRole('button', { name: 'Rename' }).click()
    await sessions.getByRole('textbox', { name: 'Session title' }).fill('   ')
    await sessions.getByRole('button', { name: 'Save' }).click()
    await expect(sessions.getByRole('alert')).toHaveText(
      'Call "chat.sessions.rename" was refused: title: A session title cannot be empty.'
    )
    await sessions.getByRole('button', { name: 'Cancel' }).click()

    await chat.sessionSearch.fill('quarterly')
    await expect(chat.session(/Quarterly planning/)).toBeVisible()
    await chat.sessionSearch.fill('zebra')
    await expect(sessions).toContainText('No conversation mentions “zebra”.')
    await chat.sessionSearch.fill('')

    await page.reload()
    await expect(chat.session(/Quarterly planning/)).toBeVisible()
    await chat.session(/Quarterly planning/).click()
    await sessions.getByRole('button', { name: 'Delete', exact: true }).click()
    await sessions.getByRole('button', { name: 'Delete for good' }).click()
    await expect(sessions).toContainText('No conversations yet')
  })

  test('exports a session as Markdown', async ({ page, host }) => {
    const chat = new ChatPage(page)
    await chat.open(host.url, 'chat')
    await chat.composer('Victoria').fill('What is a closure?')
    await chat.sendButton.click()
    await expect(chat.answers.getByRole('alert')).toBeVisible()
    const download = page.waitForEvent('download')
    await chat.exportButton.click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^what-is-a-closure-\d{4}-\d{2}-\d{2}\.md$/)
    const text = readFileSync((await file.path()) ?? '', 'utf8')
    expect(text).toContain('# What is a closure?')
    expect(text).toContain('*Failed: The answer failed: No model is available')
  })

  test('edits the lead agent’s name in the team and resets it', async ({ page, host }) => {
    const chat = new ChatPage(page)
    await chat.open(host.url, 'chat')
    await chat.teamButton.click()
    const victoria = chat.expert('Victoria')
    await victoria.getByRole('button', { name: 'Edit' }).click()
    await victoria.getByRole('textbox', { name: 'Name' }).fill('Vika')
    await victoria.getByRole('button', { name: 'Save' }).click()
    await expect(chat.composer('Vika')).toBeVisible()
    const vika = chat.expert('Vika')
    await expect(vika).toContainText('edited')
    await vika.getByRole('button', { name: 'Reset' }).click()
    await expect(chat.composer('Victoria')).toBeVisible()
  })
})
