import { choice, flagOf, host, integer, type SettingDefinition } from '../setting-builders'

export const PROFILE_NAMES = ['safe', 'balanced', 'fast'] as const
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const

/** The app itself: profile, logging, the headless host. */
export const GENERAL_SETTINGS = {
  profile: choice(PROFILE_NAMES, 'balanced', {
    category: 'General',
    label: 'Profile',
    description: 'Preset of worker limits and timeouts: safe for a busy Mac, fast for a dedicated one.',
    env: ['KOS_PROFILE'],
    flag: '--profile',
    applies: 'live',
    inProfiles: false
  }),
  'log.level': choice(LOG_LEVELS, 'info', {
    category: 'General',
    label: 'Log detail',
    description: 'Lowest level written to the log file.',
    env: ['KOS_LOG_LEVEL'],
    flag: '--log-level',
    applies: 'live'
  }),
  'log.maxFileMb': integer(1, 1024, 'MiB', 10, {
    category: 'General',
    label: 'Log file size',
    description: 'Size at which the log file is rotated.',
    env: ['KOS_LOG_MAX_FILE_MB'],
    applies: 'restart'
  }),
  'log.maxFiles': integer(1, 50, undefined, 5, {
    category: 'General',
    label: 'Log files kept',
    description: 'How many log files are kept, the current one included.',
    env: ['KOS_LOG_MAX_FILES'],
    applies: 'restart'
  }),
  'host.bind': host('127.0.0.1', {
    category: 'Headless host',
    label: 'Listen address',
    description: 'Address the headless host listens on. Anything but loopback also needs host.allowRemote.',
    env: ['KOS_HOST'],
    flag: '--host',
    applies: 'restart'
  }),
  'host.port': integer(0, 65535, undefined, 7420, {
    category: 'Headless host',
    label: 'Port',
    description: 'TCP port of the headless host; 0 picks a free one.',
    env: ['KOS_PORT'],
    flag: '--port',
    applies: 'restart'
  }),
  'host.allowRemote': flagOf(false, {
    category: 'Headless host',
    label: 'Serve other machines',
    description: 'Serve to other machines, not only this one. Tokens still apply.',
    env: ['KOS_ALLOW_REMOTE'],
    flag: '--allow-remote',
    applies: 'restart',
    inProfiles: false
  }),
  'host.rateLimit.fullPerSecond': integer(1, 10_000, 'calls/s', 50, {
    category: 'Headless host',
    label: 'Call rate, full access',
    description:
      'Calls per second the full-access token may make, over HTTP and WebSocket together; bursts of four seconds’ worth pass. Beyond it: 429 with Retry-After.',
    env: ['KOS_RATE_LIMIT_FULL'],
    applies: 'restart',
    inProfiles: false
  }),
  'host.rateLimit.readOnlyPerSecond': integer(1, 10_000, 'calls/s', 10, {
    category: 'Headless host',
    label: 'Call rate, read-only',
    description: 'Calls per second the read-only token may make; bursts of four seconds’ worth pass.',
    env: ['KOS_RATE_LIMIT_READ_ONLY'],
    applies: 'restart',
    inProfiles: false
  }),
  'host.rateLimit.workPerMinute': integer(1, 600, 'calls/min', 12, {
    category: 'Headless host',
    label: 'Work-starting calls',
    description:
      'Calls per minute that start work (run the checklist, scan for models) the full-access token may make, a quarter of them at once (at least 3); the read-only token gets a quarter of that rate, one at a time by default.',
    env: ['KOS_RATE_LIMIT_WORK'],
    applies: 'restart',
    inProfiles: false
  }),
  'host.shed.maxEventLoopLagMs': integer(0, 60_000, 'ms', 1000, {
    category: 'Headless host',
    label: 'Shed load above this lag',
    description:
      'When the core lags this much behind (event-loop delay, 99th percentile of the last second), new calls get 503 with Retry-After instead of piling up; 0 turns it off.',
    env: ['KOS_SHED_MAX_LAG_MS'],
    applies: 'restart',
    inProfiles: false
  }),
  'host.shed.maxPendingCalls': integer(1, 100_000, 'calls', 256, {
    category: 'Headless host',
    label: 'Calls at once',
    description: 'Calls the host lets run at once over HTTP and WebSocket; further calls get 503 with Retry-After.',
    env: ['KOS_SHED_MAX_PENDING'],
    applies: 'restart',
    inProfiles: false
  }),
  'metrics.access': choice(['token', 'loopback'], 'token', {
    category: 'Headless host',
    label: 'Who may read /metrics',
    description: 'Who may read /metrics: holders of a token, or (loopback) any program on this machine without one.',
    env: ['KOS_METRICS_ACCESS'],
    applies: 'restart',
    inProfiles: false
  }),
  'app.openAtLogin': flagOf(false, {
    category: 'General',
    label: 'Open at login',
    description: 'Start the desktop app when you log in to the Mac (the headless host ignores it).',
    env: ['KOS_OPEN_AT_LOGIN'],
    applies: 'live',
    inProfiles: false
  })
} satisfies Record<string, SettingDefinition>
