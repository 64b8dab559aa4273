import { CLOSED_URL, expect, test } from '../support/headless-host'

test.use({ hostArgs: ['--set', `ollama.apiUrl=${CLOSED_URL}`, '--set', `mlx.apiUrl=${CLOSED_URL}`] })

test.describe('checklist view', () => {
  test('runs every check and shows a failing one with its evidence, remedy and fix button', async ({ page, host }) => {
    await page.goto(`${host.url}`)
    await page.getByRole('link', { name: 'Checklist' }).click()
    await page.getByRole('button', { name: 'Run all checks' }).click()
    await expect(page.getByTestId('checklist-verdict')).toHaveText('Not healthy')

    const nodes = page.locator('[data-check="models.nodes-reachable"]')
    await expect(nodes.getByTestId('check-status')).toHaveText('fail')
    await expect(nodes).toContainText('127.0.0.1:9')
    await expect(nodes).toContainText('Remedy.')
    await expect(nodes.getByRole('button', { name: 'Restart Ollama' })).toBeVisible()

    const integrity = page.locator('[data-check="database.integrity"]')
    await expect(integrity.getByTestId('check-status')).toHaveText('pass')
    await expect(integrity).toContainText('quick_check: ok')

    await expect(page.getByRole('table')).toContainText('manual')
  })

  test('answers the fix button with what happened, in words', async ({ page, host }) => {
    await page.goto(`${host.url}#/checklist`)
    await page.getByRole('button', { name: 'Run all checks' }).click()
    await page.locator('[data-check="models.nodes-reachable"]').getByRole('button', { name: 'Restart Ollama' }).click()
    // Ollama is not installed here: the fix is refused with the supervisor's own reason, not a silent no-op.
    await expect(page.getByRole('alert')).toContainText(/ollama/i)
  })

  test('exports the report with its SHA-256', async ({ page, host }) => {
    await page.goto(`${host.url}#/checklist`)
    await page.getByRole('button', { name: 'Run all checks' }).click()
    await expect(page.getByTestId('checklist-verdict')).toBeVisible()
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export JSON' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^kos-checklist-[0-9a-f]{12}\.json$/)
    await expect(page.getByTestId('report-sha')).toHaveText(/^sha256 [0-9a-f]{16}…$/)
  })
})
