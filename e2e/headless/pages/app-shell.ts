import type { Locator, Page } from '@playwright/test'

export const VIEW_NAMES = ['Overview', 'Chat', 'Tasks', 'Board', 'Checklist', 'Models', 'Knowledge', 'Settings'] as const
export type ViewName = (typeof VIEW_NAMES)[number]

/** What every view shares: the sidebar, the view's heading, the status bar. */
export class AppShell {
  readonly nav: Locator
  readonly heading: Locator
  readonly connectionStatus: Locator
  readonly main: Locator
  /** Refusals and failures the view shows (role alert). */
  readonly alerts: Locator

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Views' })
    this.heading = page.getByRole('heading', { level: 1 })
    this.connectionStatus = page.getByTestId('connection-status')
    this.main = page.getByRole('main')
    this.alerts = page.getByRole('alert')
  }

  /** Opens the app at a signed-in URL, optionally straight on one view (`#/<view>` after the token is swapped). */
  async open(url: string, view?: string): Promise<void> {
    await this.page.goto(view ? `${url}#/${view}` : url)
  }

  link(name: ViewName): Locator {
    return this.nav.getByRole('link', { name })
  }

  /** Goes to a view through the sidebar, as a user clicks. */
  async go(name: ViewName): Promise<void> {
    await this.link(name).click()
  }
}
