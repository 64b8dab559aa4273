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
    await expect(nodes.getByRole('button', { name: 'Restart Ollama' })).toBeVisible()

    await expect(checklist.status('database.integrity')).toHaveText('pass')
    await expect(checklist.check('database.integrity')).toContainText('quick_check: ok')

    await expect(checklist.history).toContainText('manual')
  })

  test('answers the fix button with what happened, in words', async ({ page, host }) => {
    const checklist = new ChecklistPage(page)
    await checklist.open(host.url, 'checklist')
    await checklist.runAll.click()
    await checklist.check('models.nodes-reachable').getByRole('button', { name: 'Restart Ollama' }).click()
    // Ollama is not installed here: the fix is refused with the supervisor's own reason, not a silent no-op.
    await expect(checklist.alerts).toContainText(/ollama/i)
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
