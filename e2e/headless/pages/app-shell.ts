import type { Locator, Page } from '@playwright/test'

export const VIEW_NAMES = [
  'Overview',
  'Chat',
  'Tasks',
  'Board',
  'Workflows',
  'Checklist',
  'Models',
  'Knowledge',
  'Settings',
  'Usage',
  'Approvals'
] as const
export type ViewName = (typeof VIEW_NAMES)[number]

/** What every view shares: the sidebar, the view's heading, the status bar. */
export class AppShell {
  readonly nav: Locator
  readonly heading: Locator
  readonly connectionStatus: Locator
  readonly main: Locator
  /** Refusals and failures the view shows (role alert). */
  readonly alerts: Locator
  /** The Read-only badge beside the app's name and in the status bar (only in the read-only window). */
  readonly readOnlyBadge: Locator
  readonly readOnlyStatus: Locator

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Views' })
    this.heading = page.getByRole('heading', { level: 1 })
    this.connectionStatus = page.getByTestId('connection-status')
    this.main = page.getByRole('main')
    this.alerts = page.getByRole('alert')
    this.readOnlyBadge = page.getByTestId('read-only-badge-header')
    this.readOnlyStatus = page.getByTestId('read-only-badge-statusbar')
  }

  /** Opens the app at a signed-in URL, optionally straight on one view (`#/<view>` after the token is swapped). */
  async open(url: string, view?: string): Promise<void> {
    await this.page.goto(view ? `${url}#/${view}` : url)
  }

  /** The text a control's aria-describedby points at: why it is disabled. */
  async description(control: Locator): Promise<string> {
    const ids = (await control.getAttribute('aria-describedby')) ?? ''
    const texts = await Promise.all(
      ids
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => this.page.locator(`[id="${id}"]`).textContent())
    )
    return texts.join(' ')
  }

  link(name: ViewName): Locator {
    return this.nav.getByRole('link', { name })
  }

  /** Goes to a view through the sidebar, as a user clicks. */
  async go(name: ViewName): Promise<void> {
    await this.link(name).click()
  }
}
