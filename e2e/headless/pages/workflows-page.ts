import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Workflows view: the start form, the runs, and one run's timeline and decision log. */
export class WorkflowsPage extends AppShell {
  readonly form: Locator
  readonly runs: Locator
  readonly run: Locator
  readonly steps: Locator
  readonly decisionLog: Locator
  readonly exported: Locator

  constructor(page: Page) {
    super(page)
    this.form = page.getByRole('form', { name: 'Start a workflow' })
    this.runs = page.getByRole('list', { name: 'Runs' })
    this.run = page.getByRole('region', { name: 'Run' })
    this.steps = this.run.getByRole('list', { name: 'Steps' }).locator(':scope > li')
    this.decisionLog = this.run.getByRole('table', { name: 'Decision log' })
    this.exported = this.run.getByLabel('Decision log export')
  }

  async start(workflow: string, input: string): Promise<void> {
    await this.form.getByLabel('Workflow').selectOption({ label: workflow })
    await this.form.getByLabel('Input', { exact: true }).fill(input)
    await this.form.getByRole('button', { name: 'Start' }).click()
  }

  step(name: string, round: number): Locator {
    return this.steps
      .filter({ has: this.page.locator('strong', { hasText: name }) })
      .filter({ hasText: `round ${round}` })
  }

  /** The timeline's last entry of a run that wrote code: applying its files to the folder. */
  applyEntry(): Locator {
    return this.steps.filter({ has: this.page.locator('strong', { hasText: /^apply$/ }) })
  }

  /** The run's status badge in its header. */
  status(): Locator {
    return this.run.locator('.wf-detail-head .wf-badge')
  }

  /** Rows of the decision log, of one kind (`handoff`, `sent back`, `validation`…) when given. */
  decisions(kind?: string): Locator {
    const rows = this.decisionLog.locator('tbody tr')
    return kind ? rows.filter({ has: this.page.locator('td:nth-child(4)', { hasText: kind }) }) : rows
  }

  async exportLog(): Promise<void> {
    await this.run.getByRole('button', { name: 'Export decision log' }).click()
  }
}
