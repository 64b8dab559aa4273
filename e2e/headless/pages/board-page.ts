import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Board view: asking the board, the filters and the decisions. */
export class BoardPage extends AppShell {
  readonly question: Locator
  readonly ask: Locator
  readonly source: Locator
  readonly emptyState: Locator

  constructor(page: Page) {
    super(page)
    this.question = page.getByRole('textbox', { name: /Ask the board/ })
    this.ask = page.getByRole('button', { name: 'Ask' })
    this.source = page.getByRole('combobox', { name: 'Source' })
    this.emptyState = page.getByRole('region', { name: 'No board decisions' })
  }

  async askBoard(question: string): Promise<void> {
    await this.question.fill(question)
    await this.ask.click()
  }

  decision(question: string): Locator {
    return this.page.getByText(question)
  }
}
