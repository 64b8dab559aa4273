import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Settings view: one row per setting, each with its value, source and Save/Reset. */
export class SettingsPage extends AppShell {
  constructor(page: Page) {
    super(page)
  }

  row(key: string): Locator {
    return this.page.locator(`[data-setting="${key}"]`)
  }

  source(key: string): Locator {
    return this.row(key).getByTestId('setting-source')
  }

  saveButton(key: string): Locator {
    return this.row(key).getByRole('button', { name: 'Save' })
  }

  async save(key: string): Promise<void> {
    await this.row(key).getByRole('button', { name: 'Save' }).click()
  }

  async reset(key: string): Promise<void> {
    await this.row(key).getByRole('button', { name: 'Reset' }).click()
  }
}
