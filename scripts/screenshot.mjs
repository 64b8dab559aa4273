// Renders the built app through the headless host into PNGs (docs/screenshot.png
// and one per view in the folder given as first argument, if any), so the
// README's picture is of the real app, and a person can look at every view.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium } from '@playwright/test'

const root = join(import.meta.dirname, '..')
const viewsDir = process.argv[2]
const dataDir = mkdtempSync(join(tmpdir(), 'kos-shot-'))
const host = spawn(process.execPath, [join(root, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
const { url } = JSON.parse(await new Promise((resolve) => createInterface({ input: host.stdout }).once('line', resolve)))

const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))
const browser = await chromium.launch({
  ...(executablePath ? { executablePath } : {}),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']
})
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  await page.goto(url)
  await page.getByText('connected', { exact: true }).waitFor()
  await page.goto(`${new URL(url).origin}/#/settings`)
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
  await page.locator('[data-setting="log.level"]').waitFor()
  await page.screenshot({ path: join(root, 'docs', 'screenshot.png') })
  if (viewsDir) {
    mkdirSync(viewsDir, { recursive: true })
    for (const view of ['chat', 'tasks', 'board', 'checklist', 'models', 'knowledge', 'settings']) {
      await page.goto(`${new URL(url).origin}/#/${view}`)
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(viewsDir, `${view}.png`), fullPage: true })
    }
  }
} finally {
  await browser.close()
  host.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
}
