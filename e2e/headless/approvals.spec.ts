import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, test } from '../support/headless-host'
import { ApprovalsPage } from './pages/approvals-page'

/** Files requests as workflow steps do, into the running host's store (another connection on the same database). */
function fileRequests(dataDir: string, steps: readonly string[]): void {
  const db = new Database(join(dataDir, 'kos.db'))
  const insert = db.prepare(
    `INSERT INTO approvals (id, dedup_key, run_id, task_id, step, title, reason, correlation_id, requested_at)
     VALUES (?, ?, 'run-42', NULL, ?, ?, ?, NULL, ?)`
  )
  steps.forEach((step, i) =>
    insert.run(
      `apr_e2e${i}`,
      `run:run-42:${step}`,
      step,
      `Allow: ${step}`,
      'policy: external and financial actions ask a person',
      Date.now() + i
    )
  )
  db.close()
}

test.describe('Approvals panel', () => {
  test('shows what waits, approves a ticked batch with a note, rejects the rest at once, and lists the decisions', async ({
    page,
    host
  }) => {
    const approvals = new ApprovalsPage(page)
    await approvals.open(host.url, 'approvals')
    await expect(approvals.heading).toHaveText('Approvals')
    await expect(approvals.emptyState).toBeVisible()

    fileRequests(host.dataDir, ['publish the release notes', 'pay the hosting invoice', 'email the customer list'])
    await page.reload()
    await expect(approvals.waitingTab).toHaveText('Waiting (3)')
    await expect(approvals.rows).toHaveCount(3)
    await approvals.select('Allow: publish the release notes').check()
    await approvals.select('Allow: pay the hosting invoice').check()
    await approvals.note.fill('checked both with finance')
    await page.screenshot({ path: test.info().outputPath('approvals-batch.png') })
    await approvals.button('Approve 2 selected').click()
    await expect(approvals.done).toHaveText('Approved 2 requests.')
    await expect(approvals.waitingTab).toHaveText('Waiting (1)')
    await expect(approvals.rows).toHaveCount(1)

    await approvals.button('Reject all 1').click()
    await expect(approvals.done).toHaveText('Rejected 1 request.')
    await expect(approvals.emptyState).toBeVisible()

    await approvals.decidedTab.click()
    await expect(approvals.rows).toHaveCount(3)
    await expect(approvals.rows.first()).toContainText('rejected by person (browser or kos)')
    await expect(page.getByText('approved by person (browser or kos) — “checked both with finance”')).toHaveCount(2)
    await page.screenshot({ path: test.info().outputPath('approvals-decided.png') })
  })
})
