import type { Locator, Page } from '@playwright/test'

/** The command palette (⌘K / Ctrl+K): a dialog with a combobox over a listbox of commands. */
export class Palette {
  readonly dialog: Locator
  readonly input: Locator
  readonly options: Locator
  readonly status: Locator

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Command palette' })
    this.input = this.dialog.getByRole('combobox')
    this.options = this.dialog.getByRole('listbox', { name: 'Commands' }).getByRole('option')
    this.status = this.dialog.locator('.palette-message')
  }

  async open(): Promise<void> {
    await this.page.keyboard.press('Control+k')
    await this.dialog.waitFor()
  }

  option(title: string): Locator {
    return this.options.filter({ hasText: title })
  }

  selected(): Locator {
    return this.dialog.locator('[role="option"][aria-selected="true"]')
  }
}
