import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../platform/atomic-file'

export const USER_SETTINGS_FILE = 'settings.json'

export type UserSettingsRead =
  | { readonly ok: true; readonly values: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string }

export function userSettingsPath(dataDir: string): string {
  return join(dataDir, USER_SETTINGS_FILE)
}

/** A missing file is an empty one; a damaged one is reported, never overwritten. */
export function readUserSettings(file: string): UserSettingsRead {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, values: {} }
    return { ok: false, reason: `cannot be read (${(error as Error).message})` }
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return { ok: false, reason: `is not valid JSON (${(error as Error).message})` }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, reason: 'must hold one JSON object of "setting": value pairs' }
  }
  return { ok: true, values: data as Record<string, unknown> }
}

/** Written to a temporary file, flushed and renamed, so a crash or a full disk leaves the old file or the new one. */
export function writeUserSettings(file: string, values: Readonly<Record<string, unknown>>): void {
  const sorted = Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)))
  writeFileAtomic(file, `${JSON.stringify(sorted, null, 2)}\n`, 0o600)
}
