import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Settings view: groups of settings, each row with its label, value and source, one Save per group. */
export class SettingsPage extends AppShell {
  constructor(page: Page) {
    super(page)
  }

  get search(): Locator {
    return this.page.getByRole('searchbox', { name: 'Find a setting' })
  }

  group(name: string): Locator {
    return this.page.locator(`section[data-group="${name}"]`)
  }

  groupNames(): Promise<string[]> {
    return this.page
      .locator('section[data-group]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-group') ?? ''))
  }

  row(key: string): Locator {
    return this.page.locator(`[data-setting="${key}"]`)
  }

  source(key: string): Locator {
    return this.row(key).getByTestId('setting-source')
  }

  /** The Save of the group that holds `key`. */
  saveButton(key: string): Locator {
    return this.page
      .locator('section[data-group]')
      .filter({ has: this.row(key) })
      .locator('.settings-group-actions')
      .getByRole('button', { name: /^Save/ })
  }

  async save(key: string): Promise<void> {
    await this.saveButton(key).click()
  }

  async reset(key: string): Promise<void> {
    await this.row(key).getByRole('button', { name: 'Reset' }).click()
  }
}
