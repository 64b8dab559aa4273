/**
 * A process that runs the task pool and the workflow runner on a database
 * until it is killed, for the workflow crash test. Started with jiti (no
 * Vite), so it reads the built-in definitions itself. Every model call and
 * every knowledge filing is appended to a log first. With `start` it starts a
 * code-review run; with `poison`, the librarian's task brings the process
 * down (kill -9 of itself) a moment after it starts.
 */
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../db/database'
import { createLogger } from '../../log/logger'
import { createTaskQueue } from '../../tasks/task-queue'
import { createTasksEngine } from '../../tasks/tasks-engine'
import { scriptedProcessor } from '../../tasks/testing/scripted-processor'
import { testConfig } from '../../tasks/testing/test-config'
import { createDecisionLogStore } from '../decision-log-store'
import { parseDefinition } from '../definition-loader'
import { createWorkflowsCapability } from '../workflows-capability'
import { CODE_REVIEW_ANSWERS as A, stepOf } from './code-review-answers'

const [dbFile, logFile, ...flags] = process.argv.slice(2)
if (!dbFile || !logFile) throw new Error('usage: crash-child <db file> <log> [start] [poison]')

const db = openDatabase(dbFile)
const processor = scriptedProcessor((task) => {
  const { step, round } = stepOf(task)
  appendFileSync(logFile, `model ${step}\n`)
  if (step === 'librarian' && flags.includes('poison')) {
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 150)
    return { kind: 'hang' }
  }
  if (step === 'coder') return { kind: 'answer', text: A.coder(round) }
  if (step === 'librarian') return { kind: 'answer', text: A.librarian() }
  return { kind: 'answer', text: A.reviewer('accept') }
})
const { logger } = createLogger({ write: () => undefined }, 'error')
const engine = createTasksEngine({
  db,
  config: testConfig({ 'worker.maxAttempts': 10, 'worker.retryDelaySec': 0, 'worker.heartbeatSec': 0.2 }),
  log: logger,
  processor,
  publish: () => undefined,
  publishConcurrency: () => undefined,
  pollMs: 20,
  machine: () => ({ cpuLoad: 0.1, freeMemoryRatio: 0.5 })
})
const file = join(__dirname, '..', '..', '..', '..', 'resources', 'workflows', 'code-review.json')
const parsed = parseDefinition(readFileSync(file, 'utf8'))
if (!parsed.ok) throw new Error(parsed.problems.join(' '))
const workflows = createWorkflowsCapability({
  db,
  events: { emit: () => undefined },
  log: logger,
  dataDir: join(dbFile, '..'),
  decisions: createDecisionLogStore(db),
  tasks: createTaskQueue(engine),
  cancelTask: async (id) => void (await engine.cancel(id)),
  actions: {
    async fileKnowledge(entry) {
      appendFileSync(logFile, `filed ${entry.title}\n`)
      return { id: `kb_${Date.now()}`, title: entry.title }
    },
    consultBoard: () => Promise.reject(new Error('no board in this test'))
  },
  builtins: {}
})
engine.start()
workflows.begin()
if (flags.includes('start'))
  workflows.service.runner.start({
    definition: parsed.definition,
    input: 'Write an add() helper for two numbers.',
    title: 'add helper',
    source: 'cli',
    messageId: null,
    correlationId: 'crash-test'
  })
process.stdout.write('started\n')
