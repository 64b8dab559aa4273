import type { SettingType, SettingValue } from '../../shared/contract/config-contract'

export interface SettingDefinition<V extends SettingValue = SettingValue> {
  readonly category: string
  readonly description: string
  readonly type: SettingType
  readonly default: V
  /** Environment variables read for this setting, first found wins. */
  readonly env: readonly string[]
  readonly flag?: string
  readonly applies: 'live' | 'restart'
  /** Whether a profile file may set it (never the profile choice itself). */
  readonly inProfiles: boolean
  /** Whether the Settings view and the user settings file may set it. */
  readonly userEditable: boolean
}

type Common = Omit<SettingDefinition, 'type' | 'default' | 'inProfiles' | 'userEditable'> &
  Partial<Pick<SettingDefinition, 'inProfiles' | 'userEditable'>>

const editable = { inProfiles: true, userEditable: true }

function integer(min: number, max: number, unit: string | undefined, def: number, rest: Common): SettingDefinition<number> {
  return { ...editable, ...rest, type: unit ? { kind: 'integer', min, max, unit } : { kind: 'integer', min, max }, default: def }
}

function choice<const O extends string>(options: readonly O[], def: O, rest: Common): SettingDefinition<O> {
  return { ...editable, ...rest, type: { kind: 'enum', options: [...options] }, default: def }
}

function flagOf(def: boolean, rest: Common): SettingDefinition<boolean> {
  return { ...editable, ...rest, type: { kind: 'boolean' }, default: def }
}

function host(def: string, rest: Common): SettingDefinition<string> {
  return { ...editable, ...rest, type: { kind: 'host' }, default: def }
}

export const PROFILE_NAMES = ['safe', 'balanced', 'fast'] as const
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const

/**
 * Every setting the app reads. Defaults follow what the operators of the
 * system this replaces settled on (3 attempts, 90 s between them, 15 min to
 * call a task stuck, 300 s for an LLM answer).
 */
export const SETTINGS = {
  profile: choice(PROFILE_NAMES, 'balanced', {
    category: 'General',
    description: 'Preset of worker limits and timeouts: safe for a busy Mac, fast for a dedicated one.',
    env: ['KOS_PROFILE'],
    flag: '--profile',
    applies: 'live',
    inProfiles: false
  }),
  'log.level': choice(LOG_LEVELS, 'info', {
    category: 'Logging',
    description: 'Lowest level written to the log file.',
    env: ['KOS_LOG_LEVEL'],
    flag: '--log-level',
    applies: 'live'
  }),
  'log.maxFileMb': integer(1, 1024, 'MiB', 10, {
    category: 'Logging',
    description: 'Size at which the log file is rotated.',
    env: ['KOS_LOG_MAX_FILE_MB'],
    applies: 'restart'
  }),
  'log.maxFiles': integer(1, 50, undefined, 5, {
    category: 'Logging',
    description: 'How many log files are kept, the current one included.',
    env: ['KOS_LOG_MAX_FILES'],
    applies: 'restart'
  }),
  'host.bind': host('127.0.0.1', {
    category: 'Headless host',
    description: 'Address the headless host listens on. Anything but loopback also needs host.allowRemote.',
    env: ['KOS_HOST'],
    flag: '--host',
    applies: 'restart'
  }),
  'host.port': integer(0, 65535, undefined, 7420, {
    category: 'Headless host',
    description: 'TCP port of the headless host; 0 picks a free one.',
    env: ['KOS_PORT'],
    flag: '--port',
    applies: 'restart'
  }),
  'host.allowRemote': flagOf(false, {
    category: 'Headless host',
    description: 'Serve to other machines, not only this one. Tokens still apply.',
    env: ['KOS_ALLOW_REMOTE'],
    flag: '--allow-remote',
    applies: 'restart',
    inProfiles: false
  }),
  'worker.maxConcurrency': integer(1, 64, 'tasks', 4, {
    category: 'Worker',
    description: 'Ceiling on tasks processed at once; adaptive concurrency stays at or under it.',
    env: ['KOS_WORKER_MAX_CONCURRENCY'],
    applies: 'live'
  }),
  'worker.maxAttempts': integer(1, 10, 'attempts', 3, {
    category: 'Worker',
    description: 'Attempts before a task goes to manual review.',
    env: ['KOS_WORKER_MAX_ATTEMPTS'],
    applies: 'live'
  }),
  'worker.retryDelaySec': integer(0, 3600, 's', 90, {
    category: 'Worker',
    description: 'Wait before a failed attempt is retried.',
    env: ['KOS_WORKER_RETRY_DELAY_SEC'],
    applies: 'live'
  }),
  'worker.stuckMinutes': integer(1, 1440, 'min', 15, {
    category: 'Worker',
    description: 'A running task whose heartbeat is older than this is reset to pending.',
    env: ['KOS_WORKER_STUCK_MINUTES'],
    applies: 'live'
  }),
  'worker.heartbeatSec': integer(1, 600, 's', 30, {
    category: 'Worker',
    description: 'How often a running task proves it is alive.',
    env: ['KOS_WORKER_HEARTBEAT_SEC'],
    applies: 'live'
  }),
  'llm.requestTimeoutSec': integer(10, 3600, 's', 300, {
    category: 'Models',
    description: 'How long one LLM answer may take; the router and the worker share this one value.',
    env: ['KOS_LLM_REQUEST_TIMEOUT_SEC'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>

export type Settings = typeof SETTINGS
export type SettingKey = keyof Settings
export type SettingValueOf<K extends SettingKey> = Settings[K]['default']
export type ResolvedSettings = { readonly [K in SettingKey]: SettingValueOf<K> }

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[]

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key)
}

export function definitionOf(key: SettingKey): SettingDefinition {
  return SETTINGS[key]
}
