import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seedManualReviewTask } from '../../scripts/electron/testing/seed-manual-review'
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { VIEW_NAMES } from '../headless/pages/app-shell'

const ROOT = join(__dirname, '..', '..')

type Launch = { ok: true; executablePath: string; sqliteBinding: string } | { ok: false; reason: string }

/**
 * The same binary and SQLite binding `npm start` and `npm run dev` use. The
 * binary is not downloaded here (a test must not fetch 100 MB); without it the
 * test is skipped with the reason.
 */
async function prepareLaunch(): Promise<Launch> {
  const { findElectronBinary, electronArch } = await import('../../scripts/electron/electron-binary.mjs')
  const { electronSqliteBinding } = await import('../../scripts/electron/sqlite-binding.mjs')
  const binary = await findElectronBinary({ electronDir: join(ROOT, 'node_modules', 'electron'), download: false })
  if ('missing' in binary) return { ok: false, reason: binary.missing }
  try {
    return {
      ok: true,
      executablePath: binary.path,
      sqliteBinding: electronSqliteBinding({ root: ROOT, arch: electronArch(binary.path) })
    }
  } catch (error) {
    return { ok: false, reason: `SQLite could not be built for Electron (${(error as Error).message})` }
  }
}

interface TrayStatus {
  level: string
  deferredCount: number
  autoprocessing: string
}
const trayStatus = (app: ElectronApplication) =>
  app.evaluate(() => (globalThis as unknown as { __kosTray: { status(): TrayStatus } }).__kosTray.status())
const clickTray = (app: ElectronApplication, label: string) =>
  app.evaluate(
    (_electron, item) => (globalThis as unknown as { __kosTray: { click(label: string): void } }).__kosTray.click(item),
    label
  )

test.describe('Electron app', () => {
  let launch: Launch = { ok: false, reason: 'not prepared' }
  test.beforeAll(async () => {
    launch = await prepareLaunch()
    if (!launch.ok)
      console.log(
        `[electron e2e] skipped: ${launch.reason}. The shell smoke test and the headless-host e2e cover the same flows.`
      )
  })

  test('shows every view, and the tray returns a task in manual review to autoprocessing', async () => {
    test.skip(!launch.ok, launch.ok ? '' : launch.reason)
    if (!launch.ok) return
    // Its own data dir, hence its own Electron profile: it runs beside the real app and never touches its data.
    const dataDir = mkdtempSync(join(tmpdir(), 'kos-electron-'))
    seedManualReviewTask(ROOT, dataDir)
    const app = await electron.launch({
      executablePath: launch.executablePath,
      args: [ROOT, '--data-dir', dataDir],
      env: { ...process.env, KOS_TEST_HOOKS: '1', KOS_SQLITE_BINDING: launch.sqliteBinding }
    })
    try {
      const page = await app.firstWindow()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tasks')
      const nav = page.getByRole('navigation', { name: 'Views' })
      for (const name of VIEW_NAMES) {
        await nav.getByRole('link', { name }).click()
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
      }

      // The tray starts unknown and follows the first real health reading.
      await expect.poll(async () => (await trayStatus(app)).level, { timeout: 20_000 }).toMatch(/^(ok|degraded|down)$/)
      await expect.poll(async () => (await trayStatus(app)).deferredCount).toBe(1)
      // Paused, the returned task waits in the queue instead of failing again without a model server.
      await clickTray(app, 'Pause autoprocessing')
      await expect.poll(async () => (await trayStatus(app)).autoprocessing).toBe('paused')
      await clickTray(app, 'Return to autoprocessing')
      await expect.poll(async () => (await trayStatus(app)).deferredCount).toBe(0)
      await nav.getByRole('link', { name: 'Tasks' }).click()
      await expect(
        page.getByRole('region', { name: 'Tasks by status' }).locator('[data-count="deferred_to_human"]')
      ).toHaveText('0')
    } finally {
      await app.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
