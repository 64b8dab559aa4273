import { expect, type Locator, type Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Tasks view: counters, the paged list and its filters, the detail, manual review, the New task form and the worker. */
export class TasksPage extends AppShell {
  readonly counters: Locator
  readonly list: Locator
  readonly form: Locator
  readonly review: Locator
  readonly worker: Locator
  readonly waiting: Locator
  readonly search: Locator
  readonly queueButton: Locator
  readonly newTaskButton: Locator

  constructor(page: Page) {
    super(page)
    this.counters = page.getByRole('region', { name: 'Tasks by status' })
    this.list = page.getByRole('listbox', { name: 'Tasks' })
    this.form = page.getByRole('form', { name: 'New task' })
    this.review = page.getByRole('region', { name: /Manual review/ })
    this.worker = page.getByRole('region', { name: 'Worker' })
    this.waiting = page.getByTestId('tasks-waiting')
    this.search = page.getByLabel('Search')
    this.queueButton = this.form.getByRole('button', { name: 'Queue task' })
    this.newTaskButton = this.main.getByRole('button', { name: 'New task', exact: true })
  }

  /** Opens the New task form at the top of the view (the header's New task button), unless it is open. */
  async openForm(): Promise<void> {
    // The onboarding panel above the view can appear (or change) after the first model scan and move the
    // header's button from under a click that Playwright had already aimed: click again until the form is open.
    await expect(async () => {
      if (!(await this.form.isVisible())) await this.newTaskButton.click()
      await expect(this.form).toBeVisible({ timeout: 2_000 })
    }).toPass({ timeout: 30_000 })
  }

  /** The counter of one status, or of all tasks ('all'). */
  count(status: string): Locator {
    return this.counters.locator(`[data-count="${status}"]`)
  }

  rows(): Locator {
    return this.list.getByRole('option')
  }

  /** The worker's one state, as its card names it ("Paused", "Ready", …). */
  workerStatus(): Locator {
    return this.worker.locator('[data-worker-status]')
  }

  async setAutoprocessing(on: boolean): Promise<void> {
    await this.worker.getByRole('button', { name: on ? 'Resume autoprocessing' : 'Pause autoprocessing' }).click()
  }

  /** The detail panel of the task with this title. */
  detail(title: string): Locator {
    return this.page.getByRole('region', { name: title })
  }

  domainFilter(): Locator {
    // The list's filter, not the New task form's Domain field.
    return this.page.locator('.task-filters').getByLabel('Domain', { exact: true })
  }

  /** Fills the New task form (opening it first); fields left out stay as they are. `expert`: an expert's id, 'auto' or 'none'. */
  async fill(task: {
    title?: string
    description?: string
    priority?: string
    expert?: string
    domain?: string
    preferredBackend?: string
    preferredModel?: string
  }): Promise<void> {
    await this.openForm()
    if (task.title !== undefined) await this.form.getByLabel('Title').fill(task.title)
    if (task.description !== undefined) await this.form.getByLabel('Description').fill(task.description)
    if (task.priority !== undefined) await this.form.getByLabel('Priority').selectOption(task.priority)
    if (task.expert !== undefined)
      await this.form
        .getByLabel('Expert')
        .selectOption(task.expert === 'auto' || task.expert === 'none' ? task.expert : `expert:${task.expert}`)
    if (task.domain !== undefined) await this.form.getByLabel('Domain').fill(task.domain)
    if (task.preferredBackend !== undefined) await this.form.getByLabel('Preferred backend').fill(task.preferredBackend)
    if (task.preferredModel !== undefined) await this.form.getByLabel('Preferred model').fill(task.preferredModel)
  }

  async queue(): Promise<void> {
    await this.openForm()
    await this.queueButton.click()
  }

  /** Fills the form and queues the task. */
  async create(task: {
    title: string
    description: string
    priority?: string
    expert?: string
    domain?: string
    preferredBackend?: string
    preferredModel?: string
  }): Promise<void> {
    await this.fill(task)
    await this.queue()
  }

  returnFromReview(title: string): Locator {
    return this.review.getByRole('button', { name: `Return “${title}” to autoprocessing` })
  }

  /** The review card's "Return with <model> / expert <name>" button of one task: its suggestion applied. */
  returnWithSuggestion(title: string): Locator {
    return this.review.getByRole('button', { name: new RegExp(`^Return with .+: “${title}”$`) })
  }

  /** The playbook card of one error type in manual review ("Model runner terminated"). */
  reviewRule(errorLabel: string): Locator {
    return this.review.getByRole('region', { name: errorLabel }).getByTestId('review-rule')
  }

  /** The expert and model the app suggests for one task in review. */
  reviewSuggestion(title: string): Locator {
    return this.review.getByRole('listitem').filter({ hasText: title }).getByTestId('review-suggestion')
  }
}
