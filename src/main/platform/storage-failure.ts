import { statfsSync } from 'node:fs'
import { statfs } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * A write the disk refused: full (ENOSPC, EDQUOT, SQLITE_FULL), read-only or
 * not ours to write (EROFS, EACCES, EPERM, SQLITE_READONLY), or an I/O error
 * SQLite cannot say more about (SQLITE_IOERR_*, which is what it reports when
 * a write of its shared-memory index or journal hits a full disk).
 */
export interface StorageFailure {
  readonly kind: 'full' | 'read_only' | 'io'
  readonly code: string
  /** The file the failing call named, when the error says (fs errors do, SQLite's do not). */
  readonly path: string | null
  /** What the failing operation had done before it failed, in words, when it says (a long import does). */
  readonly detail: string | null
}

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL'])
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM'])

export function storageFailureOf(error: unknown): StorageFailure | null {
  if (typeof error !== 'object' || error === null) return null
  const { code, path, detail } = error as { code?: unknown; path?: unknown; detail?: unknown }
  if (typeof code !== 'string') return null
  const found = {
    code,
    path: typeof path === 'string' ? path : null,
    detail: typeof detail === 'string' ? detail : null
  }
  if (FULL.has(code)) return { kind: 'full', ...found }
  if (READ_ONLY.has(code) || code.startsWith('SQLITE_READONLY')) return { kind: 'read_only', ...found }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return { kind: 'io', ...found }
  return null
}

/** Bytes an unprivileged process may still write on the file system holding `dir`; null when it cannot be measured. */
export async function freeBytes(dir: string): Promise<number | null> {
  try {
    const stats = await statfs(dir)
    return stats.bavail * stats.bsize
  } catch {
    return null
  }
}

export function freeBytesSync(dir: string): number | null {
  try {
    const stats = statfsSync(dir)
    return stats.bavail * stats.bsize
  } catch {
    return null
  }
}

/** Under this much free space an I/O error of SQLite's is taken as the disk being full. */
const NEARLY_FULL_BYTES = 16 * 1024 * 1024

export function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024)
  return mb >= 10 ? String(Math.round(mb)) : mb.toFixed(1)
}

/**
 * The one sentence a person reads about a refused write, naming the folder,
 * what was measured and what to do. `dir` is the folder the write went to
 * (the data dir for the database).
 */
export function describeStorageFailure(failure: StorageFailure, dir: string, free: number | null): string {
  const said = describeRefusal(failure, dir, free)
  return failure.detail ? `${said} ${failure.detail}` : said
}

function describeRefusal(failure: StorageFailure, dir: string, free: number | null): string {
  const freeText = free === null ? 'free space unknown' : `${formatMb(free)} MB free`
  if (failure.kind === 'full' || (failure.kind === 'io' && free !== null && free < NEARLY_FULL_BYTES)) {
    return `The disk holding ${dir} is full: ${freeText} — free some space; the app carries on by itself once there is room (${failure.code}).`
  }
  if (failure.kind === 'read_only') {
    return `The disk holding ${dir} refuses writes (${failure.code}): it is read-only or not writable by this user — make it writable, or start with another --data-dir.`
  }
  return `A write to the disk holding ${dir} failed (${failure.code}, ${freeText}) — check the disk (Disk Utility › First Aid) and free some space if it is nearly full.`
}

/** The folder a failed write went to: the file's own folder when the error names one, else `fallback`. */
export function failedFolder(failure: StorageFailure, fallback: string): string {
  return failure.path ? dirname(failure.path) : fallback
}
