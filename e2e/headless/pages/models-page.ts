import type { Locator, Page } from '@playwright/test'
import { AppShell } from './app-shell'

/** The Models view: health, nodes and their models, adding a node, and the prompt to try the router. */
export class ModelsPage extends AppShell {
  readonly healthLevel: Locator
  readonly health: Locator
  readonly addNodeForm: Locator
  readonly prompt: Locator
  readonly addNodeButton: Locator
  readonly scanButton: Locator

  constructor(page: Page) {
    super(page)
    this.healthLevel = page.getByTestId('health-level')
    this.health = page.getByRole('status', { name: 'Health' })
    this.addNodeForm = page.getByRole('form', { name: 'Add a node' })
    this.prompt = page.getByLabel('Prompt')
    this.addNodeButton = this.addNodeForm.getByRole('button', { name: 'Add node' })
    this.scanButton = page.getByRole('button', { name: 'Scan now' })
  }

  node(id: string): Locator {
    return this.page.locator(`li[data-node="${id}"]`)
  }

  nodeNamed(label: string): Locator {
    return this.page.locator(`li[aria-label^="${label}"]`)
  }

  /** A node's row in the "Requests at once per node" table, with its caps and its own-caps form. */
  limitRow(id: string): Locator {
    return this.page.locator(`[data-testid="node-limit"][data-node="${id}"]`)
  }

  state(node: Locator): Locator {
    return node.getByTestId('node-state')
  }
}
