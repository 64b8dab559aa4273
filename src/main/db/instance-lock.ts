import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../platform/atomic-file'
import Database from 'better-sqlite3'

export interface InstanceOwner {
  readonly pid: number
  readonly kind: 'electron' | 'headless' | 'cli'
  readonly startedAt: string
  readonly url?: string
  /**
   * The headless host's full-access token, so `kos` commands on this machine
   * can talk to the running instance (the file is readable by its owner only,
   * as Jupyter keeps its runtime tokens).
   */
  readonly token?: string
}

export interface InstanceLock {
  /** Records where this instance can be reached, for the message a second instance shows. */
  describe(owner: InstanceOwner): void
  release(): void
}

export type LockAttempt =
  { readonly ok: true; readonly lock: InstanceLock } | { readonly ok: false; readonly owner: InstanceOwner | null }

export const LOCK_FILE = 'instance.lock'
export const OWNER_FILE = 'instance.json'

/**
 * One instance per data dir. The lock is an exclusive SQLite transaction held
 * on a small file for the life of the process: the OS drops it when the
 * process dies, even by kill -9, so no stale lock ever needs clearing, and two
 * processes starting together cannot both win.
 */
export function acquireInstanceLock(dataDir: string, owner: InstanceOwner, nativeBinding?: string): LockAttempt {
  const lockDb = new Database(join(dataDir, LOCK_FILE), nativeBinding ? { nativeBinding } : {})
  lockDb.pragma('busy_timeout = 0')
  try {
    lockDb.exec('BEGIN EXCLUSIVE')
  } catch (error) {
    lockDb.close()
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return { ok: false, owner: readOwner(dataDir) }
    throw error
  }
  const ownerFile = join(dataDir, OWNER_FILE)
  const describe = (info: InstanceOwner): void => writeFileAtomic(ownerFile, JSON.stringify(info), 0o600)
  const release = (): void => {
    // Each step on its own: a read-only or full disk must not keep the lock held or the owner file behind.
    try {
      rmSync(ownerFile, { force: true })
    } finally {
      try {
        lockDb.exec('ROLLBACK')
      } finally {
        lockDb.close()
      }
    }
  }
  try {
    describe(owner)
  } catch (error) {
    // A start that cannot say who holds the lock does not hold it: nothing stale is left behind.
    try {
      release()
    } catch {
      // The disk refused the clean-up too; the lock itself dies with the connection.
    }
    throw error
  }
  return { ok: true, lock: { describe, release } }
}

/**
 * Whether some process holds the data dir's lock right now, and who the
 * owner file names; probes without taking the lock or touching the file.
 */
export function inspectInstanceLock(
  dataDir: string,
  nativeBinding?: string
): { readonly held: boolean; readonly owner: InstanceOwner | null } {
  const probe = new Database(join(dataDir, LOCK_FILE), nativeBinding ? { nativeBinding } : {})
  probe.pragma('busy_timeout = 0')
  try {
    probe.exec('BEGIN EXCLUSIVE')
    probe.exec('ROLLBACK')
    return { held: false, owner: readOwner(dataDir) }
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return { held: true, owner: readOwner(dataDir) }
    throw error
  } finally {
    probe.close()
  }
}

function readOwner(dataDir: string): InstanceOwner | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, OWNER_FILE), 'utf8')) as InstanceOwner
  } catch {
    return null
  }
}

export function describeOwner(owner: InstanceOwner | null): string {
  if (!owner) return 'another Knowledge OS process'
  const what =
    owner.kind === 'electron' ? 'the desktop app' : owner.kind === 'headless' ? 'the headless host' : 'a kos command'
  return `${what} (pid ${owner.pid}, started ${owner.startedAt}${owner.url ? `, at ${owner.url}` : ''})`
}
