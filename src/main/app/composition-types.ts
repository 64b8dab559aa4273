import type { AppInfo } from '../../shared/contract/app-contract'
import type { CliSetting } from '../config/config-resolver'
import type { ConfigService } from '../config/config-service'
import type { loadConfig } from '../config/load-config'
import type { SettingKey } from '../config/setting-definitions'
import type { Db } from '../db/database'
import type { Migration } from '../db/migrations'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../log/logger'
import type { PlatformInfo } from '../platform/data-dir'
import type { SecretCipher } from '../ports/secret-cipher'
import type { TaskProcessor } from '../ports/task-processor'
import type { Dispatcher } from '../rpc/dispatcher'
import type { Capability, Handlers } from '../rpc/handler-types'
import type { SystemResume } from './system-resume'

export type Lifecycle = Pick<Capability<string>, 'stop' | 'onSystemResume'>

/** What the composition needs from start-up: the opened store, the settings, the log, and where things live. */
export interface Infrastructure {
  readonly db: Db
  readonly config: ConfigService
  readonly events: EventBus
  readonly log: Logger
  readonly dataDir: { readonly path: string; readonly source: Parameters<typeof loadConfig>[0]['dataDir']['source'] }
  readonly databaseFile: string
  readonly logFile: string
  readonly exportsDir: string
  readonly migrations: readonly Migration[]
  readonly info: () => AppInfo
  readonly platform: PlatformInfo
  readonly cliSettings: ReadonlyMap<SettingKey, CliSetting>
  readonly nativeBinding?: string
  readonly secretCipher?: SecretCipher
  /** Replaces the model router as the task engine's processor (benchmarks). */
  readonly taskProcessor?: TaskProcessor
  /** False for one-shot CLI commands: the services answer calls, nothing runs in the background. */
  readonly background: boolean
}

export interface Composition {
  readonly handlers: Handlers
  /** Stopped newest first on close. */
  readonly lifecycles: readonly Lifecycle[]
  /** The wake-from-sleep path: supervisor check, node rescan, lease grace for running tasks. */
  readonly resume: SystemResume
  /** Starts the background work, once the dispatcher the parts call through exists. */
  start(dispatcher: Dispatcher): void
}
