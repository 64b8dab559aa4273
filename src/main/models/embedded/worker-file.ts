import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where the build put the worker entry (out/main/llama-worker.js). Code that
 * asks may itself sit in out/main or in out/main/chunks, so both are tried.
 */
export function llamaWorkerFile(callerDir: string): string {
  const candidates = [join(callerDir, 'llama-worker.js'), join(callerDir, '..', 'llama-worker.js')]
  return candidates.find((file) => existsSync(file)) ?? (candidates[0] as string)
}
