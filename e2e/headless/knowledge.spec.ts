import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '../support/headless-host'
import { KnowledgePage } from './pages/knowledge-page'

const CORPUS = join(__dirname, '..', '..', 'src', 'main', 'knowledge', 'fixtures', 'corpus')

test.describe('knowledge base in a browser', () => {
  test('imports a folder, searches it in Russian and English, opens a hit and deletes it', async ({ page, host }) => {
    const kb = new KnowledgePage(page)
    await kb.open(host.url)
    await kb.go('Knowledge')
    await expect(kb.heading).toHaveText('Knowledge')
    await expect(page.getByRole('heading', { name: 'The knowledge base is empty' })).toBeVisible()
    await expect(page.getByTestId('kb-embedding')).toContainText(/full text/)

    await kb.importFolder(CORPUS, 'ops')
    // Importing reads and indexes files; on a busy machine that takes longer than one expect's default wait.
    await expect(kb.importReport).toContainText('6 added, 0 updated, 0 unchanged', { timeout: 20_000 })
    await page.getByText('4 files left out').click()
    await expect(kb.importReport).toContainText('PDF is not read yet')
    await expect(kb.nodesCount).toHaveText('6')

    const search = kb.search
    await kb.searchFor('копии базы')
    await expect(kb.searchMode).toContainText('By full text only')
    const hits = kb.hits
    await expect(hits.first()).toContainText('База знаний корпорации')
    await expect(hits.first().locator('mark').first()).toBeVisible()
    // How well it matches, in words; the fused score's figures only in the tooltip.
    await expect(kb.relevance(hits.first())).toHaveText('Has your words')
    await expect(hits.first()).not.toContainText(/score \d/)

    await kb.searchFor('nomic "embed*')
    await expect(hits.first()).toContainText('Setting up Ollama for embeddings')
    await hits.first().getByRole('button').click()
    const detail = kb.detail('Setting up Ollama for embeddings')
    await expect(detail.getByLabel('Document text')).toContainText('ollama pull nomic-embed-text')
    await expect(detail.getByRole('heading', { level: 2 })).toBeFocused()

    await detail.getByRole('button', { name: 'Delete…' }).click()
    await detail.getByRole('button', { name: 'Delete for good' }).click()
    await expect(
      page.getByRole('status').filter({ hasText: 'Deleted “Setting up Ollama for embeddings”.' })
    ).toBeVisible()
    await expect(kb.nodesCount).toHaveText('5')
    await search.press('Enter')
    await expect(page.getByText('Nothing matches')).toBeVisible()
  })

  test('shows a README’s title and snippet as plain words, without its links and badges', async ({ page, host }) => {
    const folder = mkdtempSync(join(tmpdir(), 'kos-readme-'))
    writeFileSync(
      join(folder, 'README.md'),
      '# [Harbor](https://harbor.example) **backup** tool\n\n[![build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example)\n\nHarbor rotates `nightly` snapshots. [Read the docs →](https://docs.example/start)\n'
    )
    const kb = new KnowledgePage(page)
    await kb.open(host.url, 'knowledge')
    await kb.importFolder(folder)
    await expect(kb.importReport).toContainText('1 added', { timeout: 20_000 })
    await kb.searchFor('snapshots')
    const hit = kb.hits.first()
    await expect(kb.hitTitle(hit)).toHaveText('Harbor backup tool')
    await expect(hit).toContainText('Harbor rotates nightly snapshots. Read the docs →')
    await expect(hit).not.toContainText('](')
    await expect(hit).not.toContainText('shields.io')
    await expect(kb.relevance(hit)).toHaveText('Has your words')
  })

  test('shows the core’s refusal of a folder that does not exist', async ({ page, host }) => {
    const kb = new KnowledgePage(page)
    await kb.open(host.url, 'knowledge')
    await kb.importFolder('/no/such/folder')
    await expect(kb.alerts).toHaveText(
      '/no/such/folder does not exist. Type the full path of a folder (or a file) on this computer.'
    )
  })

  test('adds a text another client then finds, and the view follows the change', async ({ page, host, request }) => {
    const kb = new KnowledgePage(page)
    await kb.open(host.url, 'knowledge')
    await expect(kb.nodesCount).toHaveText('0')
    await kb.add('z'.repeat(501), 'Zebras sleep standing up.')
    await expect(kb.addText.getByText('The title may have at most 500 characters; this one has 501.')).toBeVisible()
    await expect(kb.addText.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true')
    await kb.add('Zebra facts', 'Zebras sleep standing up.')
    await expect(kb.nodesCount).toHaveText('1')
    const reply = await request.post(`${host.origin}/api/call/knowledge.search`, {
      headers: { Authorization: `Bearer ${host.readOnlyToken}` },
      data: { query: 'zebras' }
    })
    expect(await reply.json()).toMatchObject({
      ok: true,
      value: { mode: 'lexical', hits: [{ node: { title: 'Zebra facts' } }] }
    })

    const added = await request.post(`${host.origin}/api/call/knowledge.addText`, {
      headers: { Authorization: `Bearer ${host.fullToken}` },
      data: { title: 'Okapi facts', content: 'Okapis are related to giraffes.' }
    })
    expect(added.status()).toBe(200)
    await expect(kb.nodesCount).toHaveText('2')
    await expect(kb.documents).toContainText('Okapi facts')
  })
})
