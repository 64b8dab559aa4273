import { join } from 'node:path'
import { expect, test } from '../support/headless-host'

const CORPUS = join(__dirname, '..', '..', 'src', 'main', 'knowledge', 'fixtures', 'corpus')

test.describe('knowledge base in a browser', () => {
  test('imports a folder, searches it in Russian and English, opens a hit and deletes it', async ({ page, host }) => {
    await page.goto(`${host.url}`)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Knowledge' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Knowledge')
    await expect(page.getByRole('heading', { name: 'The knowledge base is empty' })).toBeVisible()
    await expect(page.getByTestId('kb-embedding')).toContainText(/full text/)

    await page.getByLabel('Folder or file path').fill(CORPUS)
    await page.getByRole('form', { name: 'Import a folder' }).getByLabel('Domain (optional)').fill('ops')
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    // Importing reads and indexes files; on a busy machine that takes longer than one expect's default wait.
    await expect(page.getByTestId('kb-import-report')).toContainText('6 added, 0 updated, 0 unchanged', { timeout: 20_000 })
    await page.getByText('4 files left out').click()
    await expect(page.getByTestId('kb-import-report')).toContainText('PDF is not read yet')
    await expect(page.getByTestId('kb-stat-nodes')).toHaveText('6')

    const search = page.getByRole('searchbox', { name: 'Search the knowledge base' })
    await search.fill('копии базы')
    await search.press('Enter')
    await expect(page.getByTestId('kb-search-mode')).toContainText('By full text only')
    const hits = page.getByRole('region', { name: 'Search results' }).getByRole('listitem')
    await expect(hits.first()).toContainText('База знаний корпорации')
    await expect(hits.first().locator('mark').first()).toBeVisible()
    await expect(hits.first()).toContainText('text #1')

    await search.fill('nomic "embed*')
    await search.press('Enter')
    await expect(hits.first()).toContainText('Setting up Ollama for embeddings')
    await hits.first().getByRole('button').click()
    const detail = page.getByRole('region', { name: 'Setting up Ollama for embeddings' })
    await expect(detail.getByLabel('Document text')).toContainText('ollama pull nomic-embed-text')
    await expect(detail.getByRole('heading', { level: 2 })).toBeFocused()

    await detail.getByRole('button', { name: 'Delete…' }).click()
    await detail.getByRole('button', { name: 'Delete for good' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Deleted “Setting up Ollama for embeddings”.' })).toBeVisible()
    await expect(page.getByTestId('kb-stat-nodes')).toHaveText('5')
    await search.press('Enter')
    await expect(page.getByText('Nothing matches')).toBeVisible()
  })

  test('shows the core’s refusal of a folder that does not exist', async ({ page, host }) => {
    await page.goto(`${host.url}#/knowledge`)
    await page.getByLabel('Folder or file path').fill('/no/such/folder')
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(page.getByRole('alert')).toHaveText('/no/such/folder does not exist. Type the full path of a folder (or a file) on this computer.')
  })

  test('adds a text another client then finds, and the view follows the change', async ({ page, host, request }) => {
    await page.goto(`${host.url}#/knowledge`)
    await expect(page.getByTestId('kb-stat-nodes')).toHaveText('0')
    const form = page.getByRole('form', { name: 'Add a text' })
    await form.getByLabel('Title').fill('Zebra facts')
    await form.getByLabel('Text').fill('Zebras sleep standing up.')
    await form.getByRole('button', { name: 'Add' }).click()
    await expect(page.getByTestId('kb-stat-nodes')).toHaveText('1')
    const reply = await request.post(`${host.origin}/api/call/knowledge.search`, { headers: { Authorization: `Bearer ${host.readOnlyToken}` }, data: { query: 'zebras' } })
    expect(await reply.json()).toMatchObject({ ok: true, value: { mode: 'lexical', hits: [{ node: { title: 'Zebra facts' } }] } })

    const added = await request.post(`${host.origin}/api/call/knowledge.addText`, { headers: { Authorization: `Bearer ${host.fullToken}` }, data: { title: 'Okapi facts', content: 'Okapis are related to giraffes.' } })
    expect(added.status()).toBe(200)
    await expect(page.getByTestId('kb-stat-nodes')).toHaveText('2')
    await expect(page.getByRole('region', { name: 'Documents' })).toContainText('Okapi facts')
  })
})
