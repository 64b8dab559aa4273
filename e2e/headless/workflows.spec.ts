import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect, test } from '../support/headless-host'
import { ChatPage } from './pages/chat-page'
import { KnowledgePage } from './pages/knowledge-page'
import { WorkflowsPage } from './pages/workflows-page'

// coder → librarian → reviewer on a model server that speaks Ollama's
// protocol: each step's prompt gets its own scripted answer, and the reviewer
// sends the work back in round 1 and accepts it in round 2.

const ROOT = join(__dirname, '..', '..')
const PORT = 44_000 + Math.floor(Math.random() * 2_000)

const reply = (text: string) => ({ kind: 'reply', text })
const RULES = [
  // The worker's validator asks for a JSON verdict on every step's result (TASK: … RESULT: …).
  {
    whenPromptContains: 'RESULT:\n',
    behaviour: { kind: 'json', value: { score: 0.9, reasons: ['Complete and as asked.'] }, unconstrained: 'Fine.' }
  },
  {
    whenPromptContains: 'Review round 1.',
    behaviour: reply(
      '## Summary\nReviewed the slugify() helper against the request.\n## Verdict\nsend_back\n## Reasons\nIt keeps accents: transliterate "é" to "e" and add a test for it.'
    )
  },
  {
    whenPromptContains: 'Review round 2.',
    behaviour: reply(
      '## Summary\nReviewed the revised slugify() helper.\n## Verdict\naccept\n## Reasons\nAccents are transliterated and tested; the code is correct.'
    )
  },
  {
    whenPromptContains: "File the coder's work",
    behaviour: reply(
      '## Summary\nFiled the slugify() helper with its purpose and usage.\n## Title\nslugify() helper for URL paths\n## Entry\nslugify(text) turns a title into a URL path segment: lower case, accents transliterated, runs of other characters collapsed into single hyphens.'
    )
  },
  {
    whenPromptContains: 'Write the code for this request.',
    behaviour: reply(
      "## Summary\nWrote slugify() that lower-cases, transliterates accents and joins words with hyphens.\n## Artifacts\n```ts\nexport const slugify = (s: string): string =>\n  s.normalize('NFKD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')\n```\n## Open questions\nNone\n## Sources\nNone"
    )
  }
]

async function startFake(): Promise<ChildProcess> {
  const rules = join(mkdtempSync(join(tmpdir(), 'kos-wf-e2e-')), 'rules.json')
  writeFileSync(rules, JSON.stringify(RULES))
  const child = spawn(
    process.execPath,
    [join(ROOT, 'scripts', 'fake-ollama.mjs'), '--port', String(PORT), '--loaded', 'llama3.2:3b', '--rules', rules],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  await new Promise((resolve) => createInterface({ input: child.stdout! }).once('line', resolve))
  return child
}

test.use({ hostArgs: ['--set', `ollama.apiUrl=http://127.0.0.1:${PORT}`, '--set', 'worker.retryDelaySec=0'] })
test.describe.configure({ mode: 'serial', timeout: 150_000 })

test.describe('workflows', () => {
  let fake: ChildProcess | null = null
  test.afterEach(async () => {
    if (fake && fake.exitCode === null && fake.signalCode === null) {
      const exited = new Promise((resolve) => fake?.once('exit', resolve))
      fake.kill('SIGTERM')
      await exited
    }
    fake = null
  })

  test('coder → librarian → reviewer: sent back once, accepted, decision log exported and the entry filed', async ({
    page,
    host
  }) => {
    fake = await startFake()
    const wf = new WorkflowsPage(page)
    await wf.open(host.url)
    await wf.go('Workflows')
    await expect(wf.heading).toHaveText('Workflows')
    await expect(page.getByText('No runs yet')).toBeVisible()

    // The contract's rule for the input, said beside the field before anything starts.
    await wf.start('Code → knowledge → review', 'too short')
    await expect(wf.form.getByText('at least 10 characters')).toBeVisible()

    await wf.start('Code → knowledge → review', 'Write a slugify() helper that turns titles into URL path segments.')
    await expect(wf.runs.getByRole('link')).toHaveCount(1)
    await expect(wf.status()).toHaveText('completed', { timeout: 120_000 })
    await expect(wf.steps).toHaveCount(6)
    await expect(wf.step('reviewer', 1)).toContainText('verdict: send back')
    await expect(wf.step('reviewer', 2)).toContainText('verdict: accept')
    await expect(wf.step('coder', 2)).toContainText('round 2')
    await expect(wf.run).toContainText('round 2 of 3')

    // Each hand-off, the send-back and the acceptance, and the validator's verdict on each of the six answers.
    const handoffs = wf.decisions('handoff')
    await expect(handoffs).toHaveCount(5)
    await expect(handoffs.last()).toContainText('accepted')
    await expect(wf.decisions('sent back')).toHaveCount(1)
    await expect(wf.decisions('sent back')).toContainText('transliterate')
    await expect(wf.decisions('validation')).toHaveCount(6)
    await expect(wf.decisions('validation').first()).toContainText('score 0.90')
    await expect(wf.decisions('validation').first()).toContainText('coder')
    await expect(wf.run.getByText('Filed in the knowledge base:')).toContainText(
      'slugify() helper for URL paths (round 2)'
    )

    await wf.exportLog()
    await expect(wf.exported).toContainText('12 decisions')
    const sha = (await wf.exported.locator('code').textContent()) ?? ''
    const download = page.waitForEvent('download')
    await wf.exported.getByRole('link', { name: 'download JSON' }).click()
    const json = readFileSync((await (await download).path())!, 'utf8')
    expect(createHash('sha256').update(json, 'utf8').digest('hex')).toBe(sha)
    expect(JSON.parse(json)).toMatchObject({ format: 'kos-decision-log/1' })
    await page.screenshot({ path: test.info().outputPath('workflows-run.png'), fullPage: true })

    const kb = new KnowledgePage(page)
    await kb.go('Knowledge')
    await expect(kb.documents).toContainText('slugify() helper for URL paths (round 2)')
  })

  test('a chat message becomes a workflow run', async ({ page, host }) => {
    fake = await startFake()
    const chat = new ChatPage(page)
    await chat.open(host.url, 'chat')
    await chat.send('Write a slugify() helper for our blog URLs, please.')
    const message = page.getByRole('article', { name: 'Your message' }).last()
    await message.getByRole('link', { name: 'Make this a workflow' }).click()
    const wf = new WorkflowsPage(page)
    await expect(wf.heading).toHaveText('Workflows')
    await expect(wf.form.getByLabel('Input', { exact: true })).toHaveValue(
      'Write a slugify() helper for our blog URLs, please.'
    )
    await expect(wf.form).toContainText('From your chat message')
    await wf.form.getByRole('button', { name: 'Start' }).click()
    await expect(wf.run).toContainText('Write a slugify() helper for our blog URLs, please.')
    await expect(wf.status()).toHaveText('completed', { timeout: 120_000 })
    const runs = await page.request.post(`${host.origin}/api/call/workflows.runs.list`, {
      headers: { Authorization: `Bearer ${host.fullToken}` },
      data: {}
    })
    expect(((await runs.json()) as { value: { runs: { source: string }[] } }).value.runs[0]?.source).toBe('chat')
  })
})
