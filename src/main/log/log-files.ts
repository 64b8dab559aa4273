import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** The log file and its rotated predecessors (`kos.3.log` … `kos.1.log`, `kos.log`), oldest first. */
export function logFilesOldestFirst(logFile: string): string[] {
  const dir = dirname(logFile)
  const name = basename(logFile, '.log')
  const rotated: string[] = []
  for (let n = 1; existsSync(join(dir, `${name}.${n}.log`)); n++) rotated.unshift(join(dir, `${name}.${n}.log`))
  return [...rotated, ...(existsSync(logFile) ? [logFile] : [])]
}
