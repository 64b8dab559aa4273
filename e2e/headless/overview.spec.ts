import { expect, test } from '../support/headless-host'
import { OverviewPage } from './pages/overview-page'

test.describe('Overview view', () => {
  test('shows the sampler’s history as charts and the health strip, read once when opened', async ({ page, host }) => {
    const overview = new OverviewPage(page)
    await overview.open(host.url)
    await overview.go('Overview')
    await expect(overview.heading).toHaveText('Overview')
    for (const title of ['Throughput', 'Queues', 'Latency per backend (median)'])
      await expect(overview.chart(title)).toBeVisible()
    await expect(overview.health).toBeVisible()
    // The health now: a level once the sampler has a sample, a dash before its first.
    await expect(overview.health).toContainText(/now: (healthy|degraded|down|not measured|—)/)
  })

  test('says there is no data yet instead of drawing flat lines, and explains the health colours', async ({
    page,
    host
  }) => {
    const overview = new OverviewPage(page)
    await overview.open(host.url, 'overview')
    // A fresh app has at most one sample: every chart says so in words, none draws a line.
    for (const title of ['Throughput', 'Queues', 'Latency per backend (median)']) {
      await expect(overview.chart(title).getByTestId('chart-empty')).toContainText(/No data yet|Nothing to draw yet/)
      await expect(overview.chart(title).locator('svg')).toHaveCount(0)
    }
    const legend = overview.health.getByRole('list', { name: 'Legend' })
    await expect(legend.getByRole('listitem')).toHaveText([/^Healthy/, /^Degraded/, /^Down/, /^Not measured/])
  })
})
