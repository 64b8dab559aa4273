import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { LexicalWorkerData } from './lexical-searcher'

/**
 * How the built app starts the lexical search worker (out/main/lexical-worker.js,
 * an entry of electron.vite.config.ts); null where there is no such file (the
 * source run by tests), and the lexical half then runs on the main thread.
 * Code that asks may itself sit in out/main or in out/main/chunks, so both are tried.
 */
export function lexicalWorkerStarter(callerDir: string): ((data: LexicalWorkerData) => Worker) | null {
  const file = [join(callerDir, 'lexical-worker.js'), join(callerDir, '..', 'lexical-worker.js')].find((candidate) =>
    existsSync(candidate)
  )
  return file ? (data) => new Worker(file, { workerData: data }) : null
}
