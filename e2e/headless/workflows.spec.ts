import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect, test } from '../support/headless-host'
import { ChatPage } from './pages/chat-page'
import { KnowledgePage } from './pages/knowledge-page'
import { WorkflowsPage } from './pages/workflows-page'
import { fakeServerPort } from '../support/fake-server-port'

// coder → librarian → reviewer on a model server that speaks Ollama's
// protocol: each step's prompt gets its own scripted answer, and the reviewer
// sends the work back in round 1 and accepts it in round 2.

const ROOT = join(__dirname, '..', '..')
const PORT = fakeServerPort()

const reply = (text: string) => ({ kind: 'reply', text })
const RULES = [
  // The worker's validator asks for a JSON verdict on every step's result (TASK: … RESULT: …).
  {
    whenPromptContains: 'RESULT:\n',
    behaviour: { kind: 'json', value: { score: 0.9, reasons: ['Complete and as asked.'] }, unconstrained: 'Fine.' }
  },
  {
    whenPromptContains: 'Fix the code in the project.',
    behaviour: reply(
      '## Summary\nFixed add(): it subtracted its second number instead of adding it.\n## Artifacts\n```js path=src/add.js\nexports.add = (a, b) => a + b\n```\n## Open questions\nNone\n## Sources\nNone'
    )
  },
  {
    whenPromptContains: 'Check the fix, round 1.',
    behaviour: reply(
      '## Summary\nChecked the fix of add() against its test.\n## Verdict\naccept\n## Reasons\nIt adds, and the project test passes.'
    )
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

/** A workflow of the person's own: its coder's files are tested with the project's test in a copy of the project. */
function fixWorkflow(project: string) {
  return {
    id: 'fix-add',
    title: 'Fix → file → check',
    description: 'The coder fixes the project, the librarian files the fix, the reviewer checks it.',
    maxRounds: 2,
    allowedTools: { coder: ['run_tests'], librarian: ['file_knowledge'], reviewer: [] },
    steps: [
      {
        name: 'coder',
        role: 'coder',
        kind: 'code',
        prompt: 'Fix the code in the project.\n\n{{input}}\n\n{{feedback}}',
        package: { summaryMinChars: 20, minArtifacts: 1, requireOpenQuestions: true },
        tests: { command: 'node test.js', cwd: project, timeoutSec: 60 }
      },
      {
        name: 'librarian',
        role: 'librarian',
        kind: 'librarian',
        inputs: ['coder'],
        action: 'file_knowledge',
        prompt: "File the coder's work in the knowledge base.\n\n{{steps.coder.summary}}\n\n{{steps.coder.artifacts}}",
        package: {
          summaryMinChars: 20,
          fields: [
            { name: 'Title', minChars: 5 },
            { name: 'Entry', minChars: 80 }
          ]
        }
      },
      {
        name: 'reviewer',
        role: 'reviewer',
        kind: 'review',
        inputs: ['coder'],
        validate: false,
        prompt: 'Check the fix, round {{round}}.\n\n{{input}}\n\n{{steps.coder.artifacts}}',
        package: {
          summaryMinChars: 20,
          fields: [
            { name: 'Verdict', oneOf: ['accept', 'send_back'] },
            { name: 'Reasons', minChars: 10 }
          ]
        },
        review: { sendBackTo: 'coder' }
      }
    ]
  }
}

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
    // A review that sent the work back has been reviewed, not "handed on".
    await expect(wf.step('reviewer', 1)).toContainText('reviewed')
    await expect(wf.step('reviewer', 1)).not.toContainText('handed on')
    await expect(wf.step('reviewer', 2)).toContainText('verdict: accept')
    await expect(wf.step('coder', 2)).toContainText('round 2')
    await expect(wf.run).toContainText('round 2 of 3')

    // Each hand-off, the send-back and the acceptance, and the validator's verdict on each of the six answers.
    const handoffs = wf.decisions('handoff')
    await expect(handoffs).toHaveCount(5)
    await expect(handoffs.last()).toContainText('accepted')
    await expect(handoffs.first()).toContainText('handed off')
    await expect(wf.decisions('sent back')).toHaveCount(1)
    await expect(wf.decisions('sent back')).toContainText('transliterate')
    await expect(wf.decisions('validation')).toHaveCount(6)
    await expect(wf.decisions('validation').first()).toContainText('score 0.90')
    await expect(wf.decisions('validation').first()).toContainText('coder')
    // One entry for the run, its text replaced in round 2.
    const filed = wf.run.getByText('Filed in the knowledge base:')
    await expect(filed.getByRole('link')).toHaveCount(1)
    await expect(filed).toContainText('slugify() helper for URL paths')

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
    await expect(kb.documents.getByText('slugify() helper for URL paths')).toHaveCount(1)
  })

  test('a code step: its file tested on a copy of the project, written to the folder when the apply is approved', async ({
    page,
    host
  }) => {
    fake = await startFake()
    const project = mkdtempSync(join(tmpdir(), 'kos-wf-project-'))
    try {
      mkdirSync(join(project, 'src'))
      writeFileSync(join(project, 'src', 'add.js'), 'exports.add = (a, b) => a - b\n')
      writeFileSync(
        join(project, 'test.js'),
        "const { add } = require('./src/add.js')\nif (add(2, 3) === 5) console.log('1 passed, 0 failed')\nelse { console.log('0 passed, 1 failed'); process.exit(1) }\n"
      )
      mkdirSync(join(host.dataDir, 'workflows'), { recursive: true })
      writeFileSync(join(host.dataDir, 'workflows', 'fix-add.json'), JSON.stringify(fixWorkflow(project)))
      const wf = new WorkflowsPage(page)
      await wf.open(host.url)
      await wf.go('Workflows')
      await wf.form.getByLabel('Workflow').selectOption({ label: 'Fix → file → check (yours)' })
      // A workflow that writes code offers a project folder; this one declares its own.
      await wf.form.getByText('Project folder (optional)').click()
      await expect(wf.form).toContainText(`Without these, it tests on ${project} with "node test.js"`)
      await wf.form.getByLabel('Test command').scrollIntoViewIfNeeded()
      await page.screenshot({ path: test.info().outputPath('workflows-form.png') })
      await wf.start('Fix → file → check (yours)', 'Fix add() in the project: it subtracts.')
      await expect(wf.status()).toHaveText('waiting approval', { timeout: 120_000 })
      const coder = wf.step('coder', 1)
      await expect(coder.getByLabel('Tests on a copy')).toContainText('tests passed')
      await expect(coder.getByLabel('Tests on a copy')).toContainText(
        'node test.js → passed: exit 0, 1 passed, 0 failed'
      )
      await expect(coder.getByLabel('Tests on a copy')).toContainText('src/add.js (changed, 30 bytes)')
      // Tested on a copy: the folder still holds the bug until a person approves.
      expect(readFileSync(join(project, 'src', 'add.js'), 'utf8')).toBe('exports.add = (a, b) => a - b\n')
      const apply = wf.applyEntry()
      await expect(apply).toContainText('waiting for your approval')
      await expect(apply).toContainText(`1 file from "coder" to ${project}`)
      await expect(wf.runs.getByRole('link').first()).toContainText('fix-add · apply')
      await page.screenshot({ path: test.info().outputPath('workflows-apply.png'), fullPage: true })
      await coder.screenshot({ path: test.info().outputPath('workflows-coder.png') })
      await apply.getByRole('button', { name: 'Apply 1 file' }).click()
      await expect(wf.status()).toHaveText('completed')
      await expect(apply).toContainText('applied')
      await expect(apply).toContainText(`Wrote 1 file (src/add.js) to ${project}`)
      expect(readFileSync(join(project, 'src', 'add.js'), 'utf8')).toBe('exports.add = (a, b) => a + b\n')
      await expect(wf.decisions('approval')).toHaveCount(3)
    } finally {
      rmSync(project, { recursive: true, force: true })
    }
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
