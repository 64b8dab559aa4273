import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { LexicalWorkerData } from '../lexical-searcher'

/**
 * Starts lexical-worker.ts itself in a worker thread, compiled on the fly by
 * jiti, so tests and benchmarks run the same worker code the build bundles.
 */
export function startLexicalSourceWorker(data: LexicalWorkerData): Worker {
  const root = join(__dirname, '..', '..', '..', '..')
  const jiti = join(root, 'node_modules', 'jiti', 'lib', 'jiti.cjs')
  const entry = join(__dirname, '..', 'lexical-worker.ts')
  return new Worker(
    `require(${JSON.stringify(jiti)}).createJiti(${JSON.stringify(entry)}, { tryNative: true })(${JSON.stringify(entry)})`,
    { eval: true, workerData: data }
  )
}
