import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Checklist view: the run, each check with its status, evidence and fix, the history and the report. */
export class ChecklistPage extends AppShell {
  readonly runAll: Locator
  readonly verdict: Locator
  readonly history: Locator
  readonly reportSha: Locator
  /** The note beside Run all checks in a read-only window: its limited rate. */

  constructor(page: Page) {
    super(page)
    this.runAll = page.getByRole('button', { name: 'Run all checks' })
    this.verdict = page.getByTestId('checklist-verdict')
    this.history = page.getByRole('table')
    this.reportSha = page.getByTestId('report-sha')
  }

  check(id: string): Locator {
    return this.page.locator(`[data-check="${id}"]`)
  }

  status(id: string): Locator {
    return this.check(id).getByTestId('check-status')
  }
}
