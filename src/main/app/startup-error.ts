import type { InstanceOwner } from '../db/instance-lock'
import { describeStorageFailure, failedFolder, freeBytesSync, storageFailureOf } from '../platform/storage-failure'

/** Why the core could not start, each with a message a person can act on. */
export type StartupError =
  | { readonly kind: 'data_dir_unusable'; readonly message: string }
  | { readonly kind: 'instance_locked'; readonly message: string; readonly owner: InstanceOwner | null }
  | { readonly kind: 'config_invalid'; readonly message: string; readonly problems: readonly string[] }
  | { readonly kind: 'db_too_new'; readonly message: string }
  | { readonly kind: 'db_unusable'; readonly message: string }
  | { readonly kind: 'disk_full'; readonly message: string }
  | { readonly kind: 'start_failed'; readonly message: string }

/**
 * Exit codes of the CLI and the headless host for each reason (sysexits.h,
 * documented in the README and `kos --help`).
 */
export const STARTUP_EXIT_CODE: Readonly<Record<StartupError['kind'], number>> = {
  data_dir_unusable: 73,
  instance_locked: 75,
  config_invalid: 78,
  db_too_new: 65,
  db_unusable: 74,
  disk_full: 74,
  start_failed: 70
}

const CORRUPT = /^SQLITE_(CORRUPT|NOTADB)/

/**
 * What an exception thrown during start-up means for the person starting
 * the app: a disk that refuses writes (73), a full disk or a damaged
 * database (74), or a fault of the app itself (70). `stage` names what was
 * being done, e.g. "writing instance.json".
 */
export function classifyStartFailure(error: unknown, dataDir: string, stage: string): StartupError {
  const reason = error instanceof Error ? error.message : String(error)
  const failure = storageFailureOf(error)
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : ''
  if (failure?.kind === 'full') {
    const dir = failedFolder(failure, dataDir)
    return {
      kind: 'disk_full',
      message: `Cannot start while ${stage}: ${describeStorageFailure(failure, dir, freeBytesSync(dir))}`
    }
  }
  if (failure?.kind === 'read_only' || code === 'SQLITE_CANTOPEN') {
    return {
      kind: 'data_dir_unusable',
      message: `The data dir ${dataDir} is not writable (${code} while ${stage}): make it writable by this user, or start with another --data-dir or KOS_DATA_DIR.`
    }
  }
  if (failure?.kind === 'io' || CORRUPT.test(code)) {
    return {
      kind: 'db_unusable',
      message: `The database in ${dataDir} is unusable (${code} while ${stage}: ${reason}). Restore kos.db from a backup (the newest is in ${dataDir}/backups if the app made one), or move it aside to start empty.`
    }
  }
  return {
    kind: 'start_failed',
    message: `Knowledge OS could not start: ${reason} (while ${stage}). This is a fault of the app; the log in ${dataDir}/logs has the details.`
  }
}
