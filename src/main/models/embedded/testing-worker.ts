import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

/**
 * Starts llama-worker.ts itself in a worker thread, compiled on the fly by
 * jiti, so tests run the same worker code the build bundles.
 */
export function startSourceWorker(): Worker {
  const jiti = join(__dirname, '..', '..', '..', '..', 'node_modules', 'jiti', 'lib', 'jiti.cjs')
  const entry = join(__dirname, 'llama-worker.ts')
  return new Worker(
    `require(${JSON.stringify(jiti)}).createJiti(${JSON.stringify(entry)}, { tryNative: true })(${JSON.stringify(entry)})`,
    { eval: true }
  )
}
