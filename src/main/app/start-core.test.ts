import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { bundledMigrations } from '../db/bundled-migrations'
import { OFFLINE_ENV } from '../test-support/offline-env'
import { smallFsUnavailable } from '../test-support/small-fs'
import { useSmallFs } from '../test-support/use-small-fs'
import { useTempDirs } from '../test-support/temp-dir'
import { FTS_TABLE } from '../knowledge/full-text-index'
import { OWNER_FILE } from '../db/instance-lock'
import { STARTUP_EXIT_CODE } from './startup-error'
import { DATABASE_FILE, startCore, type CoreOptions } from './start-core'

const tempDir = useTempDirs()
const smallFs = useSmallFs()
const noSmallFs = smallFsUnavailable()
if (noSmallFs) console.warn(`skipped: start-up on a full or read-only disk (${noSmallFs})`)
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
    expect(started.core.info()).toMatchObject({
      dataDir: dir,
      databaseFile: join(dir, DATABASE_FILE),
      schemaVersion: LATEST
    })
    await started.core.close()
  })

  it('refuses bad settings with every problem named, and frees the data dir again', async () => {
    const dir = tempDir()
    const started = startCore(options(dir, { KOS_PORT: 'http', KOS_PROFILE: 'turbo' }))
    expect(started).toMatchObject({ ok: false, error: { kind: 'config_invalid' } })
    if (!started.ok) {
      expect(started.error.message).toContain('host.port = "http" (from environment variable KOS_PORT)')
      expect(started.error.message).toContain(
        'profile = "turbo" (from environment variable KOS_PROFILE) is not valid: expected one of safe, balanced, fast.'
      )
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
    if (!started.ok)
      expect(started.error.message).toMatch(
        new RegExp(`schema version 99, but this app knows versions up to ${LATEST}.*Update the app`)
      )
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

  it('rebuilds a damaged full-text index at start from the stored chunks, after a backup copy, and says so in the log', async () => {
    const dir = tempDir()
    const first = startCore(options(dir))
    if (!first.ok) throw new Error(first.error.message)
    const added = await first.core.dispatcher.call(
      'knowledge.addText',
      { title: 'Backups', content: 'Rotate the offsite backup tapes every Friday.' },
      { scopes: new Set(['read', 'write']), transport: 'ipc' }
    )
    expect(added.ok).toBe(true)
    await first.core.close()
    const raw = new Database(join(dir, DATABASE_FILE))
    raw.unsafeMode(true)
    raw.pragma('writable_schema = ON')
    raw.prepare('DELETE FROM sqlite_master WHERE name = ?').run(`${FTS_TABLE}_config`)
    raw.close()

    const started = startCore(options(dir))
    if (!started.ok) throw new Error(started.error.message)
    const found = await started.core.dispatcher.call(
      'knowledge.search',
      { query: 'offsite tapes' },
      { scopes: new Set(['read']), transport: 'ipc' }
    )
    expect(found).toMatchObject({
      ok: true,
      value: { hits: [expect.objectContaining({ node: expect.objectContaining({ title: 'Backups' }) })] }
    })
    expect(readdirSync(join(dir, 'backups'))).toEqual([
      expect.stringMatching(/^kos-\d{8}T\d{6}Z-before-fts-rebuild\.db$/)
    ])
    const log = readFileSync(started.core.info().logFile, 'utf8')
    expect(log).toContain(`"msg":"full-text index rebuilt"`)
    expect(log).toContain(`vtable constructor failed: ${FTS_TABLE}`)
    await started.core.close()
  })

  it('refuses a database file that is not a database with exit code 74 and one line, leaving no instance.json behind', () => {
    const dir = tempDir()
    writeFileSync(join(dir, DATABASE_FILE), Buffer.alloc(64 * 1024, 7))
    const started = startCore(options(dir))
    expect(started).toMatchObject({ ok: false, error: { kind: 'db_unusable' } })
    if (!started.ok) {
      expect(STARTUP_EXIT_CODE[started.error.kind]).toBe(74)
      expect(started.error.message).toMatch(
        /^The database in .+ is unusable \(SQLITE_NOTADB while .+\)\. Restore kos\.db from a backup/
      )
      expect(started.error.message).not.toContain('\n')
    }
    expect(existsSync(join(dir, OWNER_FILE))).toBe(false)
  })

  it.skipIf(noSmallFs)(
    'refuses a read-only data dir with exit code 73, naming it, and a full one with 74 and its free space',
    async () => {
      const fs = smallFs(4)
      const first = startCore(options(fs.dir))
      if (!first.ok) throw new Error(first.error.message)
      await first.core.close()

      fs.setReadOnly(true)
      const readOnly = startCore(options(fs.dir))
      expect(readOnly).toMatchObject({ ok: false, error: { kind: 'data_dir_unusable' } })
      if (!readOnly.ok) {
        expect(STARTUP_EXIT_CODE[readOnly.error.kind]).toBe(73)
        expect(readOnly.error.message).toMatch(
          new RegExp(`^The data dir ${fs.dir} is not writable \\((EROFS|SQLITE_\\w+) while `)
        )
      }
      fs.setReadOnly(false)

      expect(existsSync(join(fs.dir, OWNER_FILE))).toBe(false)
      fs.fill()
      const full = startCore(options(fs.dir))
      expect(full).toMatchObject({ ok: false, error: { kind: 'disk_full' } })
      if (!full.ok) {
        expect(STARTUP_EXIT_CODE[full.error.kind]).toBe(74)
        expect(full.error.message).toMatch(
          /^Cannot start while .+: The disk holding .+ is full: \d+(\.\d)? MB free — free some space/
        )
      }
      expect(existsSync(join(fs.dir, OWNER_FILE))).toBe(false)

      fs.free()
      const again = startCore(options(fs.dir))
      if (!again.ok) throw new Error(again.error.message)
      await again.core.close()
    }
  )
})
