/**
 * A process that runs the task pool on a database until it is killed, for
 * the crash test. Started with jiti (no Vite), so it takes an already
 * migrated database. Every answer it produces is appended to a log first,
 * so the test can tell work redone after a crash from completions. Given a
 * poison title, the task of that title brings the process down (kill -9 of
 * itself) a moment after it starts, as a task that crashes the app would.
 * With 'at-once' after it, the poison task brings the process down as it starts, within the turn of the event
 * loop its claim was made in; the others take a millisecond, one task runs at a time, and nothing is claimed
 * ahead of a free slot.
 */
import { appendFileSync } from 'node:fs'
import { openDatabase } from '../../db/database'
import { createLogger } from '../../log/logger'
import { createTasksEngine } from '../tasks-engine'
import { scriptedProcessor } from './scripted-processor'
import { testConfig } from './test-config'

const [dbFile, processedLog, poisonTitle, mode] = process.argv.slice(2)
if (!dbFile || !processedLog) throw new Error('usage: crash-child <db file> <processed log>')

const db = openDatabase(dbFile)
const processor = scriptedProcessor((task) => {
  appendFileSync(processedLog, `${task.id}\n`)
  if (task.title === poisonTitle) {
    if (mode === 'at-once') process.kill(process.pid, 'SIGKILL')
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 200)
    return { kind: 'hang' }
  }
  return {
    kind: 'answer',
    text: `The complete answer to ${task.title}, with enough words to pass.`,
    // At once, the others are quick enough for their claims to be held (worker-pool.ts: quick()).
    delayMs: mode === 'at-once' ? 1 : 5 + Math.floor(Math.random() * 25)
  }
})
const { logger } = createLogger({ write: () => undefined }, 'error')
const engine = createTasksEngine({
  db,
  config: testConfig({
    // At once, one task runs at a time: any other in flight at the crash would be taken for its cause too.
    'worker.maxConcurrency': mode === 'at-once' ? 1 : 6,
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
  ...(mode === 'at-once' ? { claimAhead: false } : {}),
  // As the app runs: a kill can land while the worker copies the WAL into the database.
  checkpointWorker: true
})
engine.start()
process.stdout.write('started\n')
