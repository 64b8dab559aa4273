import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Knowledge view: stats, search, documents, a document's detail, importing and adding text. */
export class KnowledgePage extends AppShell {
  readonly search: Locator
  readonly hits: Locator
  readonly documents: Locator
  readonly nodesCount: Locator
  readonly searchMode: Locator
  readonly importReport: Locator
  readonly addText: Locator

  constructor(page: Page) {
    super(page)
    this.search = page.getByRole('searchbox', { name: 'Search the knowledge base' })
    this.hits = page.getByRole('region', { name: 'Search results' }).getByRole('listitem')
    this.documents = page.getByRole('region', { name: 'Documents' })
    this.nodesCount = page.getByTestId('kb-stat-nodes')
    this.searchMode = page.getByTestId('kb-search-mode')
    this.importReport = page.getByTestId('kb-import-report')
    this.addText = page.getByRole('form', { name: 'Add a text' })
  }

  async importFolder(path: string, domain?: string): Promise<void> {
    await this.page.getByLabel('Folder or file path').fill(path)
    if (domain !== undefined)
      await this.page.getByRole('form', { name: 'Import a folder' }).getByLabel('Domain (optional)').fill(domain)
    await this.page.getByRole('button', { name: 'Import', exact: true }).click()
  }

  hitTitle(hit: Locator): Locator {
    return hit.locator('.kb-hit-title')
  }

  /** How well a search hit matches, as the view says it. */
  relevance(hit: Locator): Locator {
    return hit.getByTestId('kb-relevance')
  }

  async searchFor(query: string): Promise<void> {
    await this.search.fill(query)
    await this.search.press('Enter')
  }

  async add(title: string, text: string): Promise<void> {
    await this.addText.getByLabel('Title').fill(title)
    await this.addText.getByLabel('Text').fill(text)
    await this.addText.getByRole('button', { name: 'Add' }).click()
  }

  detail(title: string): Locator {
    return this.page.getByRole('region', { name: title })
  }
}
