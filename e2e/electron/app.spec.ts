import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'

const ROOT = join(__dirname, '..', '..')

/**
 * Electron installs its binary on first use, not at `npm ci`; a machine that
 * cannot reach its download host has none. The path is read from the files
 * the download leaves behind, never through require('electron'), which would
 * start a download.
 */
function electronBinary(): { path: string } | { missing: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const pkg = join(ROOT, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile) && !override) return { missing: `no Electron binary is installed (${pathFile} is absent: its download did not run or failed)` }
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron'
  const path = override ? join(override, relative) : join(pkg, 'dist', relative)
  return existsSync(path) ? { path } : { missing: `the Electron binary ${path} does not exist` }
}

const binary = electronBinary()

test.describe('Electron app', () => {
  test.beforeAll(() => {
    if ('missing' in binary) console.log(`[electron e2e] skipped: ${binary.missing}. The headless-host e2e covers the same flows.`)
  })

  test('starts on the Tasks view, round-trips a setting through IPC, and its tray follows the core', async () => {
    test.skip('missing' in binary, 'missing' in binary ? binary.missing : '')
    if (!('path' in binary)) return
    const dataDir = mkdtempSync(join(tmpdir(), 'kos-electron-'))
    const app = await electron.launch({ executablePath: binary.path, args: [ROOT, '--data-dir', dataDir], env: { ...process.env, KOS_TEST_HOOKS: '1' } })
    try {
      const page = await app.firstWindow()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tasks')
      await page.getByRole('link', { name: 'Settings' }).click()
      const row = page.locator('[data-setting="log.level"]')
      await row.getByRole('combobox').selectOption('debug')
      await row.getByRole('button', { name: 'Save' }).click()
      await expect(row.getByTestId('setting-source')).toHaveText(/^settings file /)

      // The tray reflects the core: its state is readable through the test-only hook.
      const tray = () => app.evaluate(() => (globalThis as unknown as { __kosTray: { status(): { level: string; deferredCount: number; autoprocessing: string } } }).__kosTray.status())
      await expect.poll(async () => (await tray()).level).toMatch(/^(ok|degraded|down)$/)
      await page.getByRole('link', { name: 'Tasks' }).click()
      await page.getByRole('button', { name: 'Pause autoprocessing' }).click()
      await expect.poll(async () => (await tray()).autoprocessing).toBe('paused')
    } finally {
      await app.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
