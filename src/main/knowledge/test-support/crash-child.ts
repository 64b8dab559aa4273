/**
 * The knowledge base in a process of its own, for the kill -9 test: it
 * imports a folder, or re-embeds the base with a second model, or only
 * starts (and so resumes an interrupted re-embed), on a database the test
 * migrated. Started with jiti. Says "started" on stdout once at work, and
 * one JSON line when done: the import's report, or the embedding status.
 *
 *   crash-child <data dir> import <folder> | reembed | resume
 */
import { join } from 'node:path'
import { openDatabase } from '../../db/database'
import { createEventBus } from '../../events/event-bus'
import { createLogger } from '../../log/logger'
import { backupCopy } from '../../db/backup-copy'
import { createKnowledgeCapability } from '../knowledge-capability'
import { conceptEmbedder, testConfig } from './knowledge-doubles'

const [dir, mode, folder] = process.argv.slice(2)
if (!dir || (mode !== 'import' && mode !== 'reembed' && mode !== 'resume') || (mode === 'import' && !folder)) {
  throw new Error('usage: crash-child <data dir> import <folder> | reembed | resume')
}

/** The second model of a re-embed, a little slow per batch so the test can kill it half-way. */
const SECOND_MODEL = { id: 'test:concepts-second', dimension: 32 }
const BATCH_DELAY_MS = 15

const db = openDatabase(join(dir, 'kos.db'))
const inner = conceptEmbedder(SECOND_MODEL)
const embedder = {
  state: () => inner.state(),
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    await new Promise((resolve) => setTimeout(resolve, BATCH_DELAY_MS))
    return inner.embed(texts, signal)
  }
}
const knowledge = createKnowledgeCapability({
  db,
  config: testConfig({ 'knowledge.embedBatchSize': 4 }),
  events: createEventBus(() => undefined),
  log: createLogger({ write: () => undefined }, 'error').logger,
  embedder: mode === 'import' ? null : embedder,
  background: mode !== 'import',
  backup: (reason) => backupCopy(db, dir, reason)
})

async function main(): Promise<void> {
  if (mode === 'import') {
    process.stdout.write('started\n')
    const report = await knowledge.service.importFolder({ path: folder! })
    process.stdout.write(`${JSON.stringify(report)}\n`)
    return
  }
  if (mode === 'reembed') await knowledge.service.reembed()
  process.stdout.write('started\n')
  const worker = knowledge.worker!
  for (;;) {
    await worker.idle()
    const status = worker.status()
    if (status.state === 'idle' || status.state === 'failed') {
      process.stdout.write(`${JSON.stringify(status)}\n`)
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

void main().then(async () => {
  await knowledge.stop?.()
  db.close()
})
