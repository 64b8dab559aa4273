// Renders every view of the built app, through the headless host in Chromium, at
// 1440×900 and 900×600, light and dark, into docs/screenshots/ with an index
// (docs/screenshots/README.md), and the README's picture (docs/screenshot.png),
// so a person can look at every view as a user sees it, above the fold. The app
// runs on a fresh data dir against the fake Ollama server (scripts/fake-ollama.mjs)
// and is fed real work first: tasks that run to completion, the project's own
// documents imported as knowledge, a chat, a board decision and a checklist run.
//
//   npm run screenshots            (builds first)
import type { ChildProcess } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { chromiumLaunchOptions } from '../e2e/support/browser'
import { startJson } from '../e2e/support/start-json'
import { VIEW_IDS } from '../src/shared/views'

const root = join(__dirname, '..')
const outDir = join(root, 'docs', 'screenshots')
const VIEWS = VIEW_IDS
/** Places inside a view worth a picture of their own: the name of the shot and its address. */
const PLACES: [string, string][] = [['task-form', 'tasks/new']]
const SIZES = [
  { name: '1440x900', width: 1440, height: 900 },
  { name: '900x600', width: 900, height: 600 }
]
const THEMES = ['light', 'dark'] as const

const children: ChildProcess[] = []
// Whatever ends the script, the servers it started end with it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM')
})
const dataDir = mkdtempSync(join(tmpdir(), 'kos-shots-'))
/** Starts a server and waits for the JSON line that says where it listens. */
async function start<T>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const { child, info } = await startJson<T>(args, { ...process.env, ...env })
  child.on('error', (error) => console.error(`${args[0]}: ${error.message}`))
  children.push(child)
  return info
}

const { url: fakeUrl } = await start<{ url: string }>([
  join(root, 'scripts', 'fake-ollama.mjs'),
  '--loaded',
  'llama3.2:3b',
  '--reply',
  'Revenue grew 12% on the quarter while costs stayed flat; churn fell to 2.1%, two new markets opened, and hiring is on plan. The risk to watch is the supplier contract renewing in March.'
])
const { url } = await start<{ url: string }>(
  [join(root, 'bin', 'kos.js'), 'serve', '--json', '--port', '0', '--data-dir', dataDir],
  {
    KOS_DATA_DIR: '',
    KOS_OLLAMA_API_URL: fakeUrl,
    // MLX stays at its default address with nothing there, as on a Mac that never set it up: "not configured", not down.
    KOS_SUPERVISOR_OLLAMA: 'off',
    KOS_SUPERVISOR_MLX: 'off',
    // The seeding below starts work a dozen times in seconds, more than a person's rate allows.
    KOS_RATE_LIMIT_WORK: '600'
  }
)
const origin = new URL(url).origin
const token = new URL(url).searchParams.get('token')

/** One contract call over HTTP, as the CLI's remote mode makes it; a refusal is reported and the run goes on. */
async function call(name: string, input: unknown): Promise<Record<string, unknown> | null> {
  const reply = await fetch(`${origin}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input)
  })
  const body = (await reply.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { message: string } }
  if (!body.ok) console.warn(`${name} was refused: ${body.error?.message}`)
  return body.ok ? (body.value ?? null) : null
}

async function seed() {
  await call('models.scan', {})
  const tasks = [
    ['Summarise the Q3 report', 'analysis', 'high'],
    ['Draft the launch announcement', 'writing', 'normal'],
    ['Review the onboarding runbook', 'research', 'normal'],
    ['Compare two vector stores for the knowledge base', 'research', 'low'],
    ['Write a regex that validates invoice numbers', 'coding', 'normal'],
    ['Plan the pricing experiment for the spring', 'strategy', 'normal']
  ]
  for (const [title, domain, priority] of tasks) {
    await call('tasks.create', {
      title,
      domain,
      priority,
      autoAssign: true,
      description: `${title}: a short answer with the three points that matter most, and what to do next.`
    })
  }
  // The project's own documents: real text to search and quote (not this folder's index of pictures).
  for (const file of ['README.md', 'docs/architecture.md', 'docs/desktop.md', 'docs/metrics.md']) {
    await call('knowledge.importFolder', { path: join(root, file) })
  }
  await call('chat.send', { text: 'What happened with revenue last quarter, in two sentences?' })
  await call('chat.send', { text: 'Write a short email to the team about the Q3 results.' })
  await call('board.consult', { question: 'Should we open a third market before the supplier contract renews?' })
  await call('checklist.run', {})
}

const browser = await chromium.launch(chromiumLaunchOptions())

const shots: { view: string; size: string; theme: string; file: string }[] = []
try {
  await seed()
  // The Overview's charts need samples (one every 15 s): wait until the sampler has two, so a chart has a line.
  const deadline = Date.now() + 60_000
  const samples = async (): Promise<number> =>
    ((await call('overview.series', {}))?.['samples'] as unknown[] | undefined)?.length ?? 0
  while (Date.now() < deadline && (await samples()) < 2) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  mkdirSync(outDir, { recursive: true })
  for (const theme of THEMES) {
    for (const size of SIZES) {
      const context = await browser.newContext({
        viewport: { width: size.width, height: size.height },
        colorScheme: theme
      })
      const page = await context.newPage()
      await page.goto(url)
      await page.getByTestId('connection-status').filter({ hasText: 'connected' }).waitFor()
      for (const [view, path] of [...VIEWS.map((v): [string, string] => [v, v]), ...PLACES]) {
        await page.goto(`${origin}/#/${path}`)
        await page.getByRole('heading', { level: 1 }).waitFor()
        // Views read from the core when they open: let the first reads land and the layout settle.
        await page.waitForLoadState('networkidle')
        await page.waitForTimeout(400)
        const file = `${view}-${size.name}-${theme}.png`
        await page.screenshot({ path: join(outDir, file) })
        shots.push({ view, size: size.name, theme, file })
      }
      await page.goto(`${origin}/#/tasks`)
      await page.getByRole('heading', { level: 1 }).waitFor()
      await page.keyboard.press('Control+k')
      await page.getByRole('dialog', { name: 'Command palette' }).waitFor()
      await page.keyboard.type('ret')
      const file = `palette-${size.name}-${theme}.png`
      await page.screenshot({ path: join(outDir, file) })
      shots.push({ view: 'palette', size: size.name, theme, file })
      await context.close()
    }
  }
  const rows = [...VIEWS, ...PLACES.map(([name]) => name), 'palette'].map((view) => {
    const cells = THEMES.flatMap((theme) =>
      SIZES.map((size) => {
        const shot = shots.find((s) => s.view === view && s.theme === theme && s.size === size.name)
        return shot ? `[${size.name} ${theme}](${shot.file})` : '—'
      })
    )
    return `| ${view} | ${cells.join(' | ')} |`
  })
  writeFileSync(
    join(outDir, 'README.md'),
    [
      '# Screenshots',
      '',
      'Every view of the app as a user sees it (the visible part of the window, not the whole page), through the headless host in Chromium, on a fresh data dir against the fake Ollama server, after six tasks, an import of the README and these docs, two chat messages, a board question and a checklist run. Made by `npm run screenshots`.',
      '',
      `| view | ${THEMES.flatMap((t) => SIZES.map((s) => `${s.name} ${t}`)).join(' | ')} |`,
      `| --- | ${THEMES.flatMap(() => SIZES.map(() => '---')).join(' | ')} |`,
      ...rows,
      ''
    ].join('\n')
  )
  copyFileSync(join(outDir, 'tasks-1440x900-light.png'), join(root, 'docs', 'screenshot.png'))
  process.stdout.write(`${shots.length} screenshots in ${outDir}\n`)
} finally {
  await browser.close()
  for (const child of children) child.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
}
