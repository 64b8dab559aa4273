import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'

export const SEEDED_TASK_TITLE = 'Import the sales data'

/**
 * Puts one task in manual review in a data dir no app holds: queued through
 * `kos`, then left as the queue leaves a task whose automatic attempts ran out.
 */
export function seedManualReviewTask(root: string, dataDir: string): void {
  execFileSync(process.execPath, [
    join(root, 'bin', 'kos.js'),
    'tasks',
    'add',
    SEEDED_TASK_TITLE,
    'Import the export and summarise the anomalies.',
    '--data-dir',
    dataDir,
    '--json'
  ])
  const db = new Database(join(dataDir, 'kos.db'))
  try {
    db.prepare(
      "UPDATE tasks SET status = 'deferred_to_human', attempt_count = 3, last_error = 'llama runner process has terminated', error_type = 'connection_error'"
    ).run()
  } finally {
    db.close()
  }
}
