import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The setup panel above every view while the corporation cannot work yet, and the health in the status bar. */
export class OnboardingPage extends AppShell {
  readonly panel: Locator
  readonly problems: Locator
  readonly progress: Locator
  readonly health: Locator
  readonly nodeUrl: Locator

  constructor(page: Page) {
    super(page)
    this.panel = page.getByRole('complementary', { name: /^Set(up| up your corporation)$/ })
    this.problems = this.panel.getByRole('list', { name: 'What is missing' }).getByRole('listitem')
    this.progress = this.panel.getByRole('list', { name: 'Downloads' }).getByRole('listitem')
    this.health = page.getByTestId('health-status')
    this.nodeUrl = this.panel.getByLabel('Ollama on another computer')
  }

  fix(
    name: 'Start Ollama' | 'Pull the recommended models' | 'Use the built-in engine' | 'Retry' | 'Add a server'
  ): Locator {
    return this.panel.getByRole('button', { name })
  }

  /** The bar of one download or pull row, named by its label ("… (chat)"). */
  progressBar(label: string | RegExp): Locator {
    return this.progress.filter({ hasText: label }).getByRole('progressbar')
  }

  problem(title: string | RegExp): Locator {
    return this.problems.filter({ has: this.page.getByText(title) })
  }
}
