import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

/**
 * Where a command would run from, or null when it is not installed. GUI
 * apps on macOS get a short PATH, so the usual Homebrew and user folders are
 * searched too.
 */
export function findExecutable(
  command: string,
  pathVariable: string | undefined,
  extraDirs: readonly string[] = ['/opt/homebrew/bin', '/usr/local/bin']
): string | null {
  if (command.includes('/')) return isAbsolute(command) && executable(command) ? command : null
  const dirs = [...(pathVariable ?? '').split(delimiter).filter(Boolean), ...extraDirs]
  for (const dir of dirs) {
    const candidate = join(dir, command)
    if (executable(candidate)) return candidate
  }
  return null
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}
