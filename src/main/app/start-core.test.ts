import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { bundledMigrations } from '../db/bundled-migrations'
import { OFFLINE_ENV } from '../test-support/offline-env'
import { useTempDirs } from '../test-support/temp-dir'
import { DATABASE_FILE, startCore, type CoreOptions } from './start-core'

const tempDir = useTempDirs()
const LATEST = bundledMigrations().at(-1)!.version

const options = (dataDir: string, env: NodeJS.ProcessEnv = {}): CoreOptions => ({
  hostKind: 'headless',
  dataDirFlag: dataDir,
  cliSettings: new Map(),
  platform: { platform: 'linux', env: { ...OFFLINE_ENV, ...env }, home: dataDir },
  appVersion: '0.0.0-test'
})

describe('core start', () => {
  it('starts on an empty data dir, creating the database at the latest schema', async () => {
    const dir = join(tempDir(), 'nested', 'data')
    const started = startCore(options(dir))
    expect(started.ok).toBe(true)
    if (!started.ok) return
    expect(started.core.info()).toMatchObject({ dataDir: dir, databaseFile: join(dir, DATABASE_FILE), schemaVersion: LATEST })
    await started.core.close()
  })

  it('refuses bad settings with every problem named, and frees the data dir again', async () => {
    const dir = tempDir()
    const started = startCore(options(dir, { KOS_PORT: 'http', KOS_PROFILE: 'turbo' }))
    expect(started).toMatchObject({ ok: false, error: { kind: 'config_invalid' } })
    if (!started.ok) {
      expect(started.error.message).toContain('host.port = "http" (from environment variable KOS_PORT)')
      expect(started.error.message).toContain('profile = "turbo" (from environment variable KOS_PROFILE) is not valid: expected one of safe, balanced, fast.')
    }
    const again = startCore(options(dir))
    expect(again.ok).toBe(true)
    if (again.ok) await again.core.close()
  })

  it('refuses a database written by a newer app without changing it', async () => {
    const dir = tempDir()
    const first = startCore(options(dir))
    if (first.ok) await first.core.close()
    const raw = new Database(join(dir, DATABASE_FILE))
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')").run()
    raw.close()

    const started = startCore(options(dir))
    expect(started).toMatchObject({ ok: false, error: { kind: 'db_too_new' } })
    if (!started.ok) expect(started.error.message).toMatch(new RegExp(`schema version 99, but this app knows versions up to ${LATEST}.*Update the app`))
  })

  it('refuses a second core on the same data dir', async () => {
    const dir = tempDir()
    const first = startCore(options(dir))
    const second = startCore({ ...options(dir), hostKind: 'cli' })
    expect(second).toMatchObject({ ok: false, error: { kind: 'instance_locked' } })
    if (!second.ok) expect(second.error.message).toMatch(/is in use by the headless host \(pid \d+/)
    if (first.ok) await first.core.close()
  })

  it('refuses a data dir path that is a file, naming it', () => {
    const parent = tempDir()
    writeFileSync(join(parent, 'file'), 'x')
    const started = startCore(options(join(parent, 'file')))
    expect(started).toMatchObject({ ok: false, error: { kind: 'data_dir_unusable' } })
    if (!started.ok) expect(started.error.message).toContain(join(parent, 'file'))
  })
})
