import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Approvals panel: the waiting and decided tabs, the batch bar and the table of requests. */
export class ApprovalsPage extends AppShell {
  readonly waitingTab: Locator
  readonly decidedTab: Locator
  readonly note: Locator
  readonly rows: Locator
  readonly done: Locator
  readonly emptyState: Locator

  constructor(page: Page) {
    super(page)
    this.waitingTab = page.getByRole('tab', { name: /^Waiting/ })
    this.decidedTab = page.getByRole('tab', { name: 'Decided' })
    this.note = page.getByRole('textbox', { name: /Note for the decision log/ })
    this.rows = page.locator('.approvals-table tbody tr')
    this.done = page.getByRole('status').filter({ hasText: /^(Approved|Rejected) / })
    this.emptyState = page.getByRole('region', { name: 'Nothing waits for approval' })
  }

  select(title: string): Locator {
    return this.page.getByRole('checkbox', { name: `Select “${title}”` })
  }

  button(name: string | RegExp): Locator {
    return this.page.getByRole('button', { name })
  }
}
