import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Overview view: the charts and the health strip. */
export class OverviewPage extends AppShell {
  readonly health: Locator

  constructor(page: Page) {
    super(page)
    this.health = page.getByRole('figure', { name: 'Health over time' })
  }

  chart(title: string): Locator {
    return this.page.getByRole('figure', { name: title, exact: true })
  }
}
