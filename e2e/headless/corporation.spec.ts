import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect, test } from '../support/headless-host'
import { BoardPage } from './pages/board-page'
import { ChatPage } from './pages/chat-page'
import { TasksPage } from './pages/tasks-page'
import { fakeServerPort } from '../support/fake-server-port'

// The whole corporation on a model server that speaks Ollama's protocol: tasks
// run through the router, failures land in manual review and come back with
// one click, chat answers stream in, and the board decides.

const ROOT = join(__dirname, '..', '..')
const PORT = fakeServerPort()
const REPLY =
  'Position: invest in a second GPU server, carefully.\nVote: for\nDecision: Buy the second GPU server this quarter.\nRationale: Throughput doubles and the queue clears overnight.\nRisks: cost overrun; power and cooling'

async function startFake(extra: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'scripts', 'fake-ollama.mjs'),
      '--port',
      String(PORT),
      '--loaded',
      'llama3.2:3b',
      '--reply',
      REPLY,
      ...extra
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  await new Promise((resolve) => createInterface({ input: child.stdout! }).once('line', resolve))
  return child
}

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

test.use({
  hostArgs: [
    '--set',
    `ollama.apiUrl=http://127.0.0.1:${PORT}`,
    '--set',
    'worker.retryDelaySec=0',
    '--set',
    'worker.maxAttempts=2'
  ]
})
test.describe.configure({ mode: 'serial', timeout: 120_000 })

test.describe('the corporation at work', () => {
  let fake: ChildProcess | null = null
  test.afterEach(async () => {
    await stop(fake)
    fake = null
  })

  test('a task completes; failures go to manual review and, once the cause is fixed, return with one click and complete', async ({
    page,
    host
  }) => {
    fake = await startFake(['--fail-when', 'FLAKY'])
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks')
    const count = (status: string) => tasks.count(status)

    await tasks.create({
      title: 'Summarise the Q3 report',
      description: 'Summarise the quarterly report in five bullet points for the board.'
    })
    await expect(count('completed')).toHaveText('1', { timeout: 60_000 })

    await tasks.create({
      title: 'FLAKY import of the sales data',
      description: 'Import the FLAKY sales export and summarise the anomalies.'
    })
    await expect(count('deferred_to_human')).toHaveText('1', { timeout: 60_000 })
    const review = tasks.review
    await expect(review).toContainText('FLAKY import of the sales data')
    await expect(review).toContainText('llama runner process has terminated')

    // The cause is fixed (the server is restarted healthy), then one click returns the task.
    await stop(fake)
    fake = await startFake()
    await tasks.returnFromReview('FLAKY import of the sales data').click()
    await expect(count('completed')).toHaveText('2', { timeout: 60_000 })
    await expect(count('deferred_to_human')).toHaveText('0')
  })

  test('a chat answer streams in, and a strategic question records a board decision that the Board view shows', async ({
    page,
    host
  }) => {
    fake = await startFake(['--token-delay-ms', '20'])
    const chat = new ChatPage(page)
    await chat.open(host.url, 'chat')
    await chat.send('What is a closure in JavaScript?')
    const answer = chat.answers.last()
    await expect(answer).toContainText('Throughput doubles', { timeout: 60_000 })
    await expect(answer).toHaveAttribute('aria-busy', 'false')

    const question = 'What should our strategy be for a second GPU server this year?'
    await chat.send(question)
    const decision = chat.boardDecision()
    await expect(decision).toContainText('Buy the second GPU server this quarter.', { timeout: 90_000 })

    const board = new BoardPage(page)
    await board.go('Board')
    await expect(board.main).toContainText('approved 4 for · 0 against · chat')
    await board.decision(question).click()
    await expect(board.main).toContainText('Buy the second GPU server this quarter.')
    await expect(board.main).toContainText('Throughput doubles and the queue clears overnight.')
  })
})
