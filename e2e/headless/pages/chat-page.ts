import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Chat view: sessions, the conversation, the composer and the team. */
export class ChatPage extends AppShell {
  readonly sessions: Locator
  readonly answers: Locator
  readonly questions: Locator
  readonly sessionSearch: Locator
  readonly sendButton: Locator
  readonly exportButton: Locator
  readonly teamButton: Locator

  constructor(page: Page) {
    super(page)
    this.sessions = page.getByRole('navigation', { name: 'Chat sessions' })
    this.answers = page.getByRole('article', { name: /^Answer by / })
    this.questions = page.getByRole('article', { name: 'Your message' })
    this.sessionSearch = this.sessions.getByRole('searchbox', { name: 'Search conversations' })
    this.sendButton = page.getByRole('button', { name: 'Send' })
    this.exportButton = page.getByRole('button', { name: 'Export as Markdown' })
    this.teamButton = page.getByRole('button', { name: 'Team' })
  }

  /** The message box, named after the lead agent it speaks to (any name when left out). */
  composer(lead?: string): Locator {
    return this.page.getByRole('textbox', { name: lead ? `Message to ${lead}` : /Message to/ })
  }

  async send(text: string, lead?: string): Promise<void> {
    await this.composer(lead).fill(text)
    await this.page.keyboard.press('Enter')
  }

  /** The open conversation top to bottom: "You: <question>" or "Answer by <expert>" per message. */
  async transcript(): Promise<string[]> {
    return this.page
      .getByRole('article', { name: /^(Your message|Answer by )/ })
      .evaluateAll((articles) =>
        articles.map((a) =>
          a.getAttribute('aria-label') === 'Your message'
            ? `You: ${a.textContent?.trim() ?? ''}`
            : (a.getAttribute('aria-label') ?? '')
        )
      )
  }

  session(name: string | RegExp): Locator {
    return this.sessions.getByRole('button', { name })
  }

  expert(name: string): Locator {
    return this.page.getByRole('article', { name })
  }

  boardDecision(): Locator {
    return this.page.getByRole('complementary', { name: 'Board decision' })
  }
}
