import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AppInfo } from '../../shared/contract/app-contract'
import { APP_IDENTITY } from '../../shared/app-identity'
import type { CliSetting } from '../config/config-resolver'
import { createConfigService, type ConfigService } from '../config/config-service'
import { loadConfig } from '../config/load-config'
import type { SettingKey } from '../config/setting-definitions'
import { openDatabase, type Db } from '../db/database'
import { backupCopy } from '../db/backup-copy'
import {
  acquireInstanceLock,
  describeOwner,
  OWNER_FILE,
  type InstanceLock,
  type InstanceOwner
} from '../db/instance-lock'
import { bundledMigrations } from '../db/bundled-migrations'
import { migrate, type Migration } from '../db/migrations'
import { createEventBus, type EventBus } from '../events/event-bus'
import { createLogger, type Logger } from '../log/logger'
import { createRotatingFileSink, type RotatingFileSink } from '../log/rotating-file-sink'
import { probeFullTextIndex, rebuildFullTextIndex } from '../knowledge/full-text-index'
import { resolveDataDir, type PlatformInfo } from '../platform/data-dir'
import { storageFailureOf } from '../platform/storage-failure'
import type { SecretCipher } from '../ports/secret-cipher'
import type { TaskProcessor } from '../ports/task-processor'
import { createDispatcher, type Dispatcher } from '../rpc/dispatcher'
import { composeCapabilities } from './compose-capabilities'
import type { Lifecycle } from './composition-types'
import type { SystemResume } from './system-resume'
import { classifyStartFailure, type StartupError } from './startup-error'
import type { KosClient } from '../../shared/contract/client'
import { inProcessClient } from '../rpc/in-process-client'

export interface CoreOptions {
  readonly hostKind: InstanceOwner['kind']
  readonly dataDirFlag?: string
  readonly cliSettings: ReadonlyMap<SettingKey, CliSetting>
  readonly platform: PlatformInfo
  readonly appVersion: string
  readonly nativeBinding?: string
  /**
   * False for one-shot `kos` commands: the services answer calls, but nothing
   * runs in the background (no worker pool, no scheduled checks, no housekeeping).
   */
  readonly background?: boolean
  /** The OS keychain, from the desktop shell; absent on the headless host, which then stores no API keys. */
  readonly secretCipher?: SecretCipher
  /** Runs the tasks instead of the model router (a benchmark's instant processor). */
  readonly taskProcessor?: TaskProcessor
}

export interface Core {
  readonly dispatcher: Dispatcher
  readonly events: EventBus
  readonly config: ConfigService
  readonly log: Logger
  readonly db: Db
  info(): AppInfo
  /** The typed client for a part of main that calls the core through its contract (CLI, MCP, /metrics, the tray), with that part's scopes. */
  client(caller: Parameters<typeof inProcessClient>[1]): KosClient
  /** Tells a second instance, and `kos` commands, where this one can be reached. */
  announce(url: string, token: string): void
  /** Called by the desktop shell when the machine wakes: each capability checks what died during sleep. */
  onSystemResume(): Promise<void>
  /** Stops the capabilities (newest first, each may finish its work), then closes the store and frees the data dir. */
  close(): Promise<void>
}

export type CoreStart =
  { readonly ok: true; readonly core: Core } | { readonly ok: false; readonly error: StartupError }

export const DATABASE_FILE = 'kos.db'
export const EXPORTS_DIR = 'exports'

/**
 * The composition root of the Electron-free core: it opens what everything
 * stands on (data dir, instance lock, settings, log, the one SQLite
 * connection) and hands it to composeCapabilities, which builds every
 * service once. Nothing in the core constructs its own dependencies or runs
 * anything at import time.
 *
 * It never throws: every failure is a StartupError with its exit code, and
 * whatever was opened before it (the lock, instance.json, the log, the
 * database) is closed again, so a failed start leaves nothing behind.
 */
export function startCore(options: CoreOptions): CoreStart {
  const dataDir = resolveDataDir(options.dataDirFlag, options.platform)
  const opened: Opened = { stage: 'creating the data dir', lock: null, sink: null, log: null, db: null }
  try {
    const started = start(options, dataDir, opened)
    if (!started.ok) closeOpened(opened)
    return started
  } catch (error) {
    const refusal = classifyStartFailure(error, dataDir.path, opened.stage)
    if (refusal.kind === 'start_failed') opened.log?.error('start failed', { stage: opened.stage, error })
    else opened.log?.error('start refused', { stage: opened.stage, reason: refusal.message })
    closeOpened(opened)
    return fail(refusal)
  }
}

/** What a start has opened so far, closed again if it fails; `stage` names the step under way, for the message. */
interface Opened {
  stage: string
  lock: InstanceLock | null
  sink: RotatingFileSink | null
  log: Logger | null
  db: Db | null
}

function closeOpened(opened: Opened): void {
  for (const close of [() => opened.db?.close(), () => opened.lock?.release(), () => opened.sink?.close()]) {
    try {
      close()
    } catch {
      // Best effort: the process is about to exit, and the OS drops the lock with it.
    }
  }
}

function start(options: CoreOptions, dataDir: ReturnType<typeof resolveDataDir>, opened: Opened): CoreStart {
  try {
    mkdirSync(dataDir.path, { recursive: true })
  } catch (error) {
    if (storageFailureOf(error)?.kind === 'full') throw error
    return fail({
      kind: 'data_dir_unusable',
      message: `The data dir ${dataDir.path} cannot be created (${(error as Error).message}). Pick another with --data-dir or KOS_DATA_DIR.`
    })
  }

  const startedAt = new Date().toISOString()
  const owner: InstanceOwner = { pid: process.pid, kind: options.hostKind, startedAt }
  opened.stage = `taking the instance lock (${OWNER_FILE})`
  const attempt = acquireInstanceLock(dataDir.path, owner, options.nativeBinding)
  if (!attempt.ok) {
    return fail({
      kind: 'instance_locked',
      owner: attempt.owner,
      message: `The data dir ${dataDir.path} is in use by ${describeOwner(attempt.owner)}. Use that instance, stop it first, or start this one with another --data-dir.`
    })
  }
  const lock = (opened.lock = attempt.lock)

  opened.stage = 'reading the settings'
  const loaded = loadConfig({ dataDir, cli: options.cliSettings, env: options.platform.env })
  if (!loaded.ok)
    return fail({
      kind: 'config_invalid',
      problems: loaded.messages,
      message: `Settings were refused:\n  ${loaded.messages.join('\n  ')}`
    })

  opened.stage = 'opening the log'
  const sink = (opened.sink = createRotatingFileSink({
    dir: join(dataDir.path, 'logs'),
    name: 'kos',
    maxBytes: loaded.resolved.values['log.maxFileMb'] * 1024 * 1024,
    maxFiles: loaded.resolved.values['log.maxFiles']
  }))
  const logging = createLogger(sink, loaded.resolved.values['log.level'])
  const log = (opened.log = logging.logger.child({ host: options.hostKind, pid: process.pid }))

  const databaseFile = join(dataDir.path, DATABASE_FILE)
  opened.stage = `opening the database ${DATABASE_FILE}`
  const store = openStore(databaseFile, dataDir.path, log, options.nativeBinding, opened)
  if (!store.ok) {
    log.error('database refused', { reason: store.error.message })
    return store
  }
  const { db, schemaVersion, migrations } = store

  opened.stage = 'starting the capabilities'
  const events = createEventBus((error) => log.error('event listener failed', { error }))
  const config = createConfigService({ inputs: loaded.inputs, resolved: loaded.resolved, dataDir })
  config.onChange((snapshot) => {
    logging.setLevel(config.get('log.level'))
    events.emit('config.changed', snapshot)
  })

  const info = (): AppInfo => ({
    productName: APP_IDENTITY.productName,
    version: options.appVersion,
    platform: `${process.platform}-${process.arch}`,
    pid: process.pid,
    startedAt,
    dataDir: dataDir.path,
    databaseFile,
    logFile: sink.file,
    schemaVersion
  })

  const composition = composeCapabilities({
    db,
    config,
    events,
    log,
    dataDir,
    databaseFile,
    logFile: sink.file,
    exportsDir: join(dataDir.path, EXPORTS_DIR),
    migrations,
    info,
    platform: options.platform,
    cliSettings: options.cliSettings,
    background: options.background ?? true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.secretCipher ? { secretCipher: options.secretCipher } : {}),
    ...(options.taskProcessor ? { taskProcessor: options.taskProcessor } : {})
  })
  const dispatcher = createDispatcher(composition.handlers, log)
  composition.start(dispatcher)
  log.info('core started', {
    data_dir: dataDir.path,
    data_dir_source: dataDir.source.kind,
    profile: config.get('profile'),
    schema_version: schemaVersion
  })

  return {
    ok: true,
    core: assemble({
      dispatcher,
      events,
      config,
      log,
      db,
      info,
      lock,
      owner,
      sink,
      stoppable: composition.lifecycles,
      resume: composition.resume
    })
  }
}

function assemble(parts: {
  dispatcher: Dispatcher
  events: EventBus
  config: ConfigService
  log: Logger
  db: Db
  info: () => AppInfo
  lock: InstanceLock
  owner: InstanceOwner
  sink: RotatingFileSink
  stoppable: readonly Lifecycle[]
  resume: SystemResume
}): Core {
  let closing: Promise<void> | null = null
  return {
    dispatcher: parts.dispatcher,
    events: parts.events,
    config: parts.config,
    log: parts.log,
    db: parts.db,
    info: parts.info,
    client: (caller) => inProcessClient({ dispatcher: () => parts.dispatcher, events: parts.events }, caller),
    announce(url, token) {
      try {
        parts.lock.describe({ ...parts.owner, url, token })
      } catch (error) {
        // The host runs anyway; only `kos` commands cannot find it until the disk takes the file.
        parts.log.warn('could not record where this instance is reachable', { error })
      }
    },
    async onSystemResume() {
      await parts.resume.run('os')
    },
    close() {
      closing ??= (async () => {
        for (const capability of [...parts.stoppable].reverse()) {
          try {
            await capability.stop?.()
          } catch (error) {
            parts.log.error('capability failed to stop', { error })
          }
        }
        parts.log.info('core stopped')
        closeOpened({ stage: 'stopping', db: parts.db, lock: parts.lock, sink: parts.sink, log: null })
      })()
      return closing
    }
  }
}

function openStore(
  file: string,
  dataDir: string,
  log: Logger,
  nativeBinding: string | undefined,
  opened: Opened
): { ok: true; db: Db; schemaVersion: number; migrations: Migration[] } | { ok: false; error: StartupError } {
  const db = (opened.db = openDatabase(file, nativeBinding ? { nativeBinding } : {}))
  opened.stage = 'checking the full-text index'
  const repaired = repairFullTextIndexAtStart(db, dataDir, log, opened)
  if (!repaired.ok) return repaired
  opened.stage = 'bringing the database up to date'
  const migrations = bundledMigrations()
  let outcome: ReturnType<typeof migrate>
  try {
    outcome = migrate(db, migrations)
  } catch (error) {
    if (storageFailureOf(error)) throw error
    return fail({
      kind: 'db_unusable',
      message: `The database ${file} could not be brought up to date (${(error as Error).message}). It was left at its last complete version.`
    })
  }
  if (!outcome.ok) {
    return fail({
      kind: 'db_too_new',
      message: `The database ${file} has schema version ${outcome.dbVersion}, but this app knows versions up to ${outcome.appVersion}: it was written by a newer Knowledge OS. Update the app, or start with another --data-dir.`
    })
  }
  return { ok: true, db, schemaVersion: outcome.version, migrations }
}

/**
 * A full-text index that cannot be opened (a lost shadow table: "vtable
 * constructor failed") holds nothing the stored chunks do not: it is rebuilt
 * from them, after a backup copy of the database, and the start goes on.
 */
function repairFullTextIndexAtStart(
  db: Db,
  dataDir: string,
  log: Logger,
  opened: Opened
): { ok: true } | { ok: false; error: StartupError } {
  const probe = probeFullTextIndex(db)
  if (probe.ok) return { ok: true }
  log.warn('full-text index damaged; rebuilding it from the stored chunks', { reason: probe.reason })
  opened.stage = 'backing up the database before rebuilding its damaged full-text index'
  const backup = backupCopy(db, dataDir, 'before-fts-rebuild')
  opened.stage = 'rebuilding the damaged full-text index'
  try {
    const rebuilt = rebuildFullTextIndex(db)
    log.warn('full-text index rebuilt', {
      chunks: rebuilt.chunks,
      recreated: rebuilt.recreated,
      backup,
      reason: probe.reason
    })
    return { ok: true }
  } catch (error) {
    if (storageFailureOf(error)) throw error
    return fail({
      kind: 'db_unusable',
      message: `The full-text index of ${db.name} is damaged (${probe.reason}) and could not be rebuilt (${(error as Error).message}). A copy of the database is in ${backup}; restore an older backup, or move kos.db aside to start empty.`
    })
  }
}

function fail(error: StartupError): { ok: false; error: StartupError } {
  return { ok: false, error }
}
