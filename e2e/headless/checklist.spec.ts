import { CLOSED_URL, expect, test } from '../support/headless-host'
import { ChecklistPage } from './pages/checklist-page'

test.use({ hostArgs: ['--set', `ollama.apiUrl=${CLOSED_URL}`, '--set', `mlx.apiUrl=${CLOSED_URL}`] })

test.describe('checklist view', () => {
  test('runs every check and shows a failing one with its evidence, remedy and fix button', async ({ page, host }) => {
    const checklist = new ChecklistPage(page)
    await checklist.open(host.url)
    await checklist.go('Checklist')
    await checklist.runAll.click()
    await expect(checklist.verdict).toHaveText('Not healthy')

    const nodes = checklist.check('models.nodes-reachable')
    await expect(checklist.status('models.nodes-reachable')).toHaveText('fail')
    await expect(nodes).toContainText('127.0.0.1:9')
    await expect(nodes).toContainText('Remedy.')
    // The host does not run Ollama (supervisor.ollama is off): a restart could only fail, so none is offered.
    await expect(nodes.getByRole('button', { name: 'Restart Ollama' })).toHaveCount(0)

    await expect(checklist.status('database.integrity')).toHaveText('pass')
    await expect(checklist.check('database.integrity')).toContainText('quick_check: ok')

    await expect(checklist.history).toContainText('manual')
  })

  test('a fix that cannot work here is refused in words that say what to do by hand', async ({ page, host }) => {
    const checklist = new ChecklistPage(page)
    await checklist.open(host.url, 'checklist')
    await checklist.runAll.click()
    await expect(checklist.verdict).toHaveText('Not healthy')
    // Asked for anyway (the CLI, MCP, an old window): refused before it runs, not after a failed restart.
    const fixed = await page.request.post(`${host.origin}/api/call/checklist.fix`, {
      headers: { Authorization: `Bearer ${host.fullToken}` },
      data: { fix: 'restart-ollama' }
    })
    expect(await fixed.json()).toMatchObject({
      ok: false,
      error: {
        code: 'unavailable',
        message: expect.stringContaining('Restart Ollama yourself, then Return to autoprocessing.') as unknown
      }
    })
  })

  test('exports the report with its SHA-256', async ({ page, host }) => {
    const checklist = new ChecklistPage(page)
    await checklist.open(host.url, 'checklist')
    await checklist.runAll.click()
    await expect(checklist.verdict).toBeVisible()
    const download = page.waitForEvent('download')
    await checklist.page.getByRole('button', { name: 'Export JSON' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^kos-checklist-[0-9a-f]{12}\.json$/)
    await expect(checklist.reportSha).toHaveText(/^sha256 [0-9a-f]{16}…$/)
  })
})
