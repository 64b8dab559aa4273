/**
 * The core as the app composes it for background work (compose-capabilities.ts),
 * minus the UI-facing parts: settings from the same loader (built-in
 * defaults plus the model server URLs), the migrated database, the model
 * router with its circuits, the task engine with the router as its processor,
 * the supervisor when a scenario has it restart the server, and the one
 * resume path with the suspend detector. Built here rather than by
 * startCore because the bench runs without a build, and startCore reads the
 * migrations the build bundles.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSystemResume } from '../../src/main/app/system-resume'
import { createConfigService } from '../../src/main/config/config-service'
import { resolveConfig, type ConfigInputs } from '../../src/main/config/config-resolver'
import type { Profile } from '../../src/main/config/profiles'
import { openDatabase, type Db } from '../../src/main/db/database'
import { migrate, parseMigrationFiles } from '../../src/main/db/migrations'
import { createEventBus } from '../../src/main/events/event-bus'
import { createLogger } from '../../src/main/log/logger'
import { createModelsCapability } from '../../src/main/models/models-capability'
import { createSuspendDetector } from '../../src/main/platform/suspend-detector'
import { modelServerSpecs } from '../../src/main/supervisor/model-server-specs'
import { createSupervisor } from '../../src/main/supervisor/supervisor'
import { createTasksCapability } from '../../src/main/tasks/tasks-capability'
import type { TasksEngine } from '../../src/main/tasks/tasks-engine'

export interface ChaosCoreOptions {
  readonly dataDir: string
  /** Settings as environment variables, the way a user sets them (KOS_OLLAMA_API_URL, …). */
  readonly env: NodeJS.ProcessEnv
  readonly supervised: boolean
  /** The clock the suspend detector reads as monotonic; the sleep scenario gives one that stands still while the core is frozen. */
  readonly monotonic: () => number
  readonly logLine?: (line: string) => void
}

export interface ChaosCore {
  readonly db: Db
  readonly engine: TasksEngine
  /** Each wake the suspend detector saw, and what the resume path reported. */
  readonly resumes: { trigger: string; sleptSec: number | null; at: number }[]
  close(): Promise<void>
}

export function startChaosCore(options: ChaosCoreOptions): ChaosCore {
  const dataDir = { path: options.dataDir, source: { kind: 'cli' as const, flag: '--data-dir' } }
  // As loadConfig does, with the profiles read from disk instead of the build's bundle.
  const profilesDir = join(__dirname, '..', '..', 'resources', 'profiles')
  const profiles = new Map<string, Profile>(
    readdirSync(profilesDir).map((f) => {
      const data = JSON.parse(readFileSync(join(profilesDir, f), 'utf8')) as Omit<Profile, 'name'>
      const name = f.replace(/\.json$/, '')
      return [name, { ...data, name }]
    })
  )
  const inputs: ConfigInputs = {
    cli: new Map(),
    env: options.env,
    userFile: join(options.dataDir, 'settings.json'),
    userValues: {},
    profiles
  }
  const resolution = resolveConfig(inputs)
  if (!resolution.ok) throw new Error('settings refused')
  const config = createConfigService({ inputs, resolved: resolution.config, dataDir })
  const { logger: log } = createLogger({ write: options.logLine ?? (() => undefined) }, 'info')
  const db = openDatabase(join(options.dataDir, 'kos.db'))
  const dir = join(__dirname, '..', '..', 'migrations')
  const outcome = migrate(
    db,
    parseMigrationFiles(
      Object.fromEntries(readdirSync(dir).map((f) => [`/migrations/${f}`, readFileSync(join(dir, f), 'utf8')]))
    )
  )
  if (!outcome.ok) throw new Error('database too new')
  const events = createEventBus((error) => log.error('event listener failed', { error }))
  const models = createModelsCapability({ config, db, events, log })
  const tasks = createTasksCapability({ db, config, events, log, processor: models.router, background: true })
  const supervisor = options.supervised
    ? createSupervisor({
        specs: modelServerSpecs({
          config,
          env: options.env,
          logsDir: options.dataDir,
          home: options.dataDir,
          usersRoot: options.dataDir
        }),
        onChange: () => undefined,
        onMemoryFailure: () => undefined
      })
    : null
  const resumes: { trigger: string; sleptSec: number | null; at: number }[] = []
  const resume = createSystemResume({
    log,
    steps: [
      { step: 'supervisor check', run: () => supervisor?.onSystemResume() },
      { step: 'model node rescan', run: () => models.onSystemResume?.() },
      { step: 'task lease grace', run: () => tasks.onSystemResume?.() }
    ]
  })
  const detector = createSuspendDetector({
    wall: Date.now,
    monotonic: options.monotonic,
    everyMs: 5_000,
    minSleepMs: 20_000,
    onWake: (sleptMs) =>
      void resume
        .run('detected', sleptMs)
        .then((report) => resumes.push({ trigger: report.trigger, sleptSec: report.sleptSec, at: Date.now() }))
  })
  models.begin()
  void supervisor?.begin()
  detector.start()
  return {
    db,
    engine: tasks.engine,
    resumes,
    async close(): Promise<void> {
      detector.stop()
      await tasks.stop?.()
      await supervisor?.stop?.()
      await models.stop?.()
      db.close()
    }
  }
}
