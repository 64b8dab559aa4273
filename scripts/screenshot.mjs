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
const firstLine = (child) =>
  new Promise((resolve) => createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line))))

// A model server speaking Ollama's protocol, so the pictures show the app at work rather than empty.
const fake = spawn(
  process.execPath,
  [
    join(root, 'scripts', 'fake-ollama.mjs'),
    '--loaded',
    'llama3.2:3b',
    '--reply',
    'A summary in five points: revenue up 12%, costs flat, churn down, two new markets, hiring on plan.'
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] }
)
const { url: fakeUrl } = await firstLine(fake)
const host = spawn(
  process.execPath,
  [
    join(root, 'bin', 'kos.js'),
    'serve',
    '--json',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--set',
    `ollama.apiUrl=${fakeUrl}`
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KOS_SUPERVISOR_OLLAMA: 'off' }
  }
)
const { url } = await firstLine(host)
const origin = new URL(url).origin
const token = new URL(url).searchParams.get('token')
for (const [title, domain] of [
  ['Summarise the Q3 report', 'finance'],
  ['Draft the launch memo', 'marketing'],
  ['Review the onboarding runbook', 'operations'],
  ['Compare two vector stores', 'research']
]) {
  await fetch(`${origin}/api/call/tasks.create`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      title,
      domain,
      description: `${title}: a short answer with the three points that matter most.`
    })
  })
}

const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))
const browser = await chromium.launch({
  ...(executablePath ? { executablePath } : {}),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync'
  ]
})
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  await page.goto(url)
  await page.getByText('connected', { exact: true }).waitFor()
  await page.getByRole('link', { name: 'Tasks' }).click()
  await page.goto(`${origin}/#/tasks`)
  await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor()
  await page.locator('[data-count="completed"]').filter({ hasText: '4' }).waitFor({ timeout: 60_000 })
  await page.screenshot({ path: join(root, 'docs', 'screenshot.png') })
  if (viewsDir) {
    mkdirSync(viewsDir, { recursive: true })
    for (const view of [
      'overview',
      'chat',
      'tasks',
      'board',
      'checklist',
      'models',
      'knowledge',
      'usage',
      'settings'
    ]) {
      await page.goto(`${origin}/#/${view}`)
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(viewsDir, `${view}.png`), fullPage: true })
    }
  }
} finally {
  await browser.close()
  host.kill('SIGTERM')
  fake.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
}
