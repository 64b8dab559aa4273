/**
 * A process that runs the task pool on a database until it is killed, for
 * the crash test. Started with jiti (no Vite), so it takes an already
 * migrated database. Every answer it produces is appended to a log first,
 * so the test can tell work redone after a crash from completions. Given a
 * poison title, the task of that title brings the process down (kill -9 of
 * itself) a moment after it starts, as a task that crashes the app would.
 */
import { appendFileSync } from 'node:fs'
import { openDatabase } from '../../db/database'
import { createLogger } from '../../log/logger'
import { createTasksEngine } from '../tasks-engine'
import { scriptedProcessor } from './scripted-processor'
import { testConfig } from './test-config'

const [dbFile, processedLog, poisonTitle] = process.argv.slice(2)
if (!dbFile || !processedLog) throw new Error('usage: crash-child <db file> <processed log>')

const db = openDatabase(dbFile)
const processor = scriptedProcessor((task) => {
  appendFileSync(processedLog, `${task.id}\n`)
  if (task.title === poisonTitle) {
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 200)
    return { kind: 'hang' }
  }
  return {
    kind: 'answer',
    text: `The complete answer to ${task.title}, with enough words to pass.`,
    delayMs: 5 + Math.floor(Math.random() * 25)
  }
})
const { logger } = createLogger({ write: () => undefined }, 'error')
const engine = createTasksEngine({
  db,
  config: testConfig({
    'worker.maxConcurrency': 6,
    'worker.maxAttempts': 10,
    'worker.retryDelaySec': 0,
    'worker.heartbeatSec': 0.2
  }),
  log: logger,
  processor,
  publish: () => undefined,
  publishConcurrency: () => undefined,
  pollMs: 20,
  machine: () => ({ cpuLoad: 0.1, freeMemoryRatio: 0.5 }),
  // As the app runs: a kill can land while the worker copies the WAL into the database.
  checkpointWorker: true
})
engine.start()
process.stdout.write('started\n')
