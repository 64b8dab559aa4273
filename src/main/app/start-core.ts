import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { AppInfo } from '../../shared/contract/app-contract'
import type { Scope } from '../../shared/contract/define'
import { APP_IDENTITY } from '../../shared/app-identity'
import type { CliSetting } from '../config/config-resolver'
import { createConfigService, type ConfigService } from '../config/config-service'
import { configHandlers } from '../config/config-handlers'
import { loadConfig } from '../config/load-config'
import type { SettingKey } from '../config/setting-definitions'
import { openDatabase, type Db } from '../db/database'
import { acquireInstanceLock, describeOwner, type InstanceLock, type InstanceOwner } from '../db/instance-lock'
import { bundledMigrations, migrate, type Migration } from '../db/migrations'
import { createEventBus, type EventBus } from '../events/event-bus'
import { createLogger, type Logger } from '../log/logger'
import { createRotatingFileSink, type RotatingFileSink } from '../log/rotating-file-sink'
import { resolveDataDir, type PlatformInfo } from '../platform/data-dir'
import { createDispatcher, type Dispatcher } from '../rpc/dispatcher'
import type { Capability, Handlers } from '../rpc/handler-types'
import { createTasksCapability } from '../tasks/tasks-capability'
import { createKnowledgeCapability } from '../knowledge/knowledge-capability'
import { appHandlers } from './app-handlers'
import { createOverviewSampler } from '../metrics/overview-sampler'
import { capabilityChecks } from '../checklist/checks/capability-checks'
import { readValue, type ReadCall } from '../rpc/read-call'
import { checklistFixes } from './checklist-fixes'
import { createSecretStore } from '../secrets/secret-store'
import { secretsHandlers } from '../secrets/secrets-handlers'
import type { SecretCipher } from '../ports/secret-cipher'
import { startHousekeeping } from './housekeeping'
import { createChecklistCapability } from '../checklist/checklist-capability'
import { inspectInstanceLock } from '../db/instance-lock'
import type { StartupError } from './startup-error'
import { createModelsCapability } from '../models/models-capability'
import { llamaWorkerFile } from '../models/embedded/worker-file'
import { createSupervisor } from '../supervisor/supervisor'
import { modelServerSpecs } from '../supervisor/model-server-specs'
import { supervisorHandlers } from '../supervisor/supervisor-handlers'
import { createHealthMonitor } from '../health/health-monitor'
import { healthHandlers } from '../health/health-handlers'
import { databaseHealth } from '../health/database-health'
import { createBoardCapability } from '../board/board-capability'
import { createChatCapability } from '../chat/chat-capability'

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
}

export interface Core {
  readonly dispatcher: Dispatcher
  readonly events: EventBus
  readonly config: ConfigService
  readonly log: Logger
  readonly db: Db
  info(): AppInfo
  /** Tells a second instance, and `kos` commands, where this one can be reached. */
  announce(url: string, token: string): void
  /** Called by the desktop shell when the machine wakes: each capability checks what died during sleep. */
  onSystemResume(): Promise<void>
  /** Stops the capabilities (newest first, each may finish its work), then closes the store and frees the data dir. */
  close(): Promise<void>
}

export type CoreStart = { readonly ok: true; readonly core: Core } | { readonly ok: false; readonly error: StartupError }

export const DATABASE_FILE = 'kos.db'
export const EXPORTS_DIR = 'exports'

type Lifecycle = Pick<Capability<string>, 'stop' | 'onSystemResume'>

const READ_ONLY: ReadonlySet<Scope> = new Set<Scope>(['read'])
const FULL: ReadonlySet<Scope> = new Set<Scope>(['read', 'write'])

/**
 * The composition root of the Electron-free core: every service is built
 * here, once, and handed to the ones that need it. Nothing in the core
 * constructs its own dependencies or runs anything at import time.
 */
export function startCore(options: CoreOptions): CoreStart {
  const dataDir = resolveDataDir(options.dataDirFlag, options.platform)
  try {
    mkdirSync(dataDir.path, { recursive: true })
  } catch (error) {
    return fail({ kind: 'data_dir_unusable', message: `The data dir ${dataDir.path} cannot be created (${(error as Error).message}). Pick another with --data-dir or KOS_DATA_DIR.` })
  }

  const startedAt = new Date().toISOString()
  const owner: InstanceOwner = { pid: process.pid, kind: options.hostKind, startedAt }
  const attempt = acquireInstanceLock(dataDir.path, owner, options.nativeBinding)
  if (!attempt.ok) {
    return fail({
      kind: 'instance_locked',
      owner: attempt.owner,
      message: `The data dir ${dataDir.path} is in use by ${describeOwner(attempt.owner)}. Use that instance, stop it first, or start this one with another --data-dir.`
    })
  }
  const lock = attempt.lock

  const loaded = loadConfig({ dataDir, cli: options.cliSettings, env: options.platform.env })
  if (!loaded.ok) {
    lock.release()
    return fail({ kind: 'config_invalid', problems: loaded.messages, message: `Settings were refused:\n  ${loaded.messages.join('\n  ')}` })
  }

  const sink = createRotatingFileSink({
    dir: join(dataDir.path, 'logs'),
    name: 'kos',
    maxBytes: loaded.resolved.values['log.maxFileMb'] * 1024 * 1024,
    maxFiles: loaded.resolved.values['log.maxFiles']
  })
  const logging = createLogger(sink, loaded.resolved.values['log.level'])
  const log = logging.logger.child({ host: options.hostKind, pid: process.pid })

  const databaseFile = join(dataDir.path, DATABASE_FILE)
  const opened = openStore(databaseFile, options.nativeBinding)
  if (!opened.ok) {
    log.error('database refused', { reason: opened.error.message })
    sink.close()
    lock.release()
    return opened
  }
  const { db, schemaVersion, migrations } = opened

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

  // Capabilities are built here, each given only the services it needs, and
  // stopped in reverse order on close.
  const stoppable: Lifecycle[] = []
  // No model router yet: the pool claims nothing and tasks wait as pending until one is plugged in with tasks.setProcessor.
  const tasks = createTasksCapability({ db, config, events, log, processor: null, background: options.background ?? true })
  stoppable.push(tasks)
  // No embedder until the models router is plugged in: search is by full text only, and says so.
  const knowledge = createKnowledgeCapability({ db, config, events, log, embedder: null })
  stoppable.push(knowledge)
  const background = options.background ?? true
  if (background) stoppable.push(startHousekeeping({ logFile: sink.file, exportsDir: join(dataDir.path, EXPORTS_DIR), config, log }))

  // Models: nodes, router and embedder (plugged into tasks and knowledge at integration), the
  // supervisor of the model servers, and the aggregate health the tray shows.
  const models = createModelsCapability({ config, db, events, log, embedded: { modelsDir: join(dataDir.path, 'models'), workerFile: llamaWorkerFile(__dirname) } })
  stoppable.push(models)
  const supervisor = createSupervisor({
    specs: modelServerSpecs({ config, env: options.platform.env, logsDir: join(dataDir.path, 'logs'), home: options.platform.home }),
    onChange: (statuses) => {
      events.emit('supervisor.changed', statuses)
      void health.check()
    },
    onMemoryFailure: (id) => models.router.noteOom(id === 'ollama' ? 'ollama-local' : 'mlx-local')
  })
  stoppable.push(supervisor)
  const health = createHealthMonitor()
  for (const source of [models.health, { component: 'supervisor', report: () => supervisor.health() }, databaseHealth(db)]) health.add(source)
  health.onChange((snapshot) => events.emit('health.changed', snapshot))
  models.registry.onChange(() => {
    void health.check()
    void supervisor.recheck()
  })
  stoppable.push({ stop: () => health.stop() })
  models.begin()
  void supervisor.begin()
  health.start(5000)

  // Chat and board get no ChatModel, TaskQueue or KnowledgeContext until their adapters are
  // plugged in: until then every answer ends saying that no model backend is connected.
  const board = createBoardCapability({ db, model: null, events, timeoutSec: () => config.get('chat.boardTimeoutSec') })
  const chat = createChatCapability({ db, events, config, log, board: board.service, model: null, tasks: null, knowledge: null })
  stoppable.push(chat)
  health.add(chat.health)

  // The checklist, the Overview and the one-click fixes read and act on the
  // core through its own contract, exactly as the UI does; the dispatcher
  // they call is created below, before any of them runs.
  const coreRead: ReadCall = (name, input) => dispatcher.call(name, input, { scopes: READ_ONLY, transport: 'ipc' })
  const coreCall: ReadCall = (name, input) => dispatcher.call(name, input, { scopes: FULL, transport: 'ipc' })
  // The checklist reads every other capability, so it is built last.
  const checklist = createChecklistCapability({
    db,
    events,
    log,
    databaseFile,
    logFile: sink.file,
    migrations,
    app: {
      dataDir: dataDir.path,
      instanceOwner: () => {
        const found = inspectInstanceLock(dataDir.path, options.nativeBinding)
        return { heldByUs: found.held && found.owner?.pid === process.pid, ownerPid: found.owner?.pid ?? null }
      },
      revalidateConfig: () => {
        const again = loadConfig({ dataDir, cli: options.cliSettings, env: options.platform.env })
        return again.ok ? [] : again.messages
      },
      settingSources: () => countBy(config.snapshot().settings.map((s) => s.source.kind)),
      fileFolders: [dirname(sink.file), join(dataDir.path, EXPORTS_DIR)],
      filesBoundBytes: () => config.get('files.warnMb') * 1024 * 1024,
      timeouts: () => ({ llmRequestSec: config.get('llm.requestTimeoutSec'), heartbeatSec: config.get('worker.heartbeatSec'), stuckMinutes: config.get('worker.stuckMinutes') })
    },
    capabilityChecks: capabilityChecks({ read: coreRead, stuckMinutes: () => config.get('worker.stuckMinutes'), now: () => new Date() }),
    errorTypes: async () => (await readValue(coreRead, 'tasks.counters'))?.deferredByErrorType ?? {},
    fixes: checklistFixes(coreCall, config),
    intervalMinutes: () => config.get('checklist.intervalMin'),
    background
  })
  stoppable.push(checklist)

  const secrets = createSecretStore(db, options.secretCipher ?? null)
  const overview = createOverviewSampler(coreRead, events)
  stoppable.push(overview)
  const handlers: Handlers = { ...secretsHandlers(secrets), ...overview.handlers, ...appHandlers(info), ...configHandlers(config), ...tasks.handlers, ...knowledge.handlers, ...checklist.handlers, ...models.handlers, ...supervisorHandlers(supervisor), ...healthHandlers(health), ...board.handlers, ...chat.handlers }
  const dispatcher = createDispatcher(handlers, log)
  if (background) overview.start()
  log.info('core started', { data_dir: dataDir.path, data_dir_source: dataDir.source.kind, profile: config.get('profile'), schema_version: schemaVersion })

  return { ok: true, core: assemble({ dispatcher, events, config, log, db, info, lock, owner, sink, stoppable }) }
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
}): Core {
  let closing: Promise<void> | null = null
  return {
    dispatcher: parts.dispatcher,
    events: parts.events,
    config: parts.config,
    log: parts.log,
    db: parts.db,
    info: parts.info,
    announce: (url, token) => parts.lock.describe({ ...parts.owner, url, token }),
    async onSystemResume() {
      parts.log.info('system resumed from sleep')
      for (const capability of parts.stoppable) {
        try {
          await capability.onSystemResume?.()
        } catch (error) {
          parts.log.error('capability failed to recover after sleep', { error })
        }
      }
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
        parts.db.close()
        parts.lock.release()
        parts.sink.close()
      })()
      return closing
    }
  }
}

function openStore(
  file: string,
  nativeBinding: string | undefined
): { ok: true; db: Db; schemaVersion: number; migrations: Migration[] } | { ok: false; error: StartupError } {
  let db: Db
  try {
    db = openDatabase(file, nativeBinding ? { nativeBinding } : {})
  } catch (error) {
    return fail({ kind: 'db_unusable', message: `The database ${file} cannot be opened (${(error as Error).message}). Check the file's permissions, or restore it from a backup.` })
  }
  try {
    const migrations = bundledMigrations()
    const outcome = migrate(db, migrations)
    if (!outcome.ok) {
      db.close()
      return fail({
        kind: 'db_too_new',
        message: `The database ${file} has schema version ${outcome.dbVersion}, but this app knows versions up to ${outcome.appVersion}: it was written by a newer Knowledge OS. Update the app, or start with another --data-dir.`
      })
    }
    return { ok: true, db, schemaVersion: outcome.version, migrations }
  } catch (error) {
    db.close()
    return fail({ kind: 'db_unusable', message: `The database ${file} could not be brought up to date (${(error as Error).message}). It was left at its last complete version.` })
  }
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1
  return counts
}

function fail(error: StartupError): { ok: false; error: StartupError } {
  return { ok: false, error }
}
