import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import * as sqliteVec from 'sqlite-vec'
import { afterEach, describe, expect, it } from 'vitest'
import { loadVectorExtension, unpackedPath } from './load-vector-extension'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** The layout electron-builder writes: the archive as one file, the unpacked natives beside it. */
function packagedLayout(withUnpacked: boolean): { asarPath: string; unpacked: string } {
  const resources = mkdtempSync(join(tmpdir(), 'kos-resources-'))
  dirs.push(resources)
  writeFileSync(join(resources, 'app.asar'), 'an archive SQLite cannot open')
  const real = sqliteVec.getLoadablePath()
  const relative = join('node_modules', basename(join(real, '..')), basename(real))
  const unpacked = join(resources, 'app.asar.unpacked', relative)
  if (withUnpacked) {
    mkdirSync(join(unpacked, '..'), { recursive: true })
    copyFileSync(real, unpacked)
  }
  return { asarPath: join(resources, 'app.asar', relative), unpacked }
}

describe('loading sqlite-vec', () => {
  it('maps a path inside app.asar to app.asar.unpacked and leaves others alone', () => {
    expect(unpackedPath('/A/Resources/app.asar/node_modules/sqlite-vec-darwin-arm64/vec0.dylib')).toBe(
      '/A/Resources/app.asar.unpacked/node_modules/sqlite-vec-darwin-arm64/vec0.dylib'
    )
    expect(unpackedPath('/p/node_modules/sqlite-vec-linux-x64/vec0.so')).toBe(
      '/p/node_modules/sqlite-vec-linux-x64/vec0.so'
    )
    expect(unpackedPath('/p/app.asar.unpacked/x.so')).toBe('/p/app.asar.unpacked/x.so')
  })

  it('in a packaged app, loads the library from app.asar.unpacked where sqlite-vec resolves it inside the archive', () => {
    const { asarPath, unpacked } = packagedLayout(true)
    const db = new Database(':memory:')
    try {
      const loaded = loadVectorExtension(db, () => asarPath)
      expect(loaded).toMatchObject({ ok: true, path: unpacked })
      expect(loaded.ok && loaded.version).toMatch(/^v\d/)
    } finally {
      db.close()
    }
  })

  it('turns search by meaning off, saying why, when the unpacked library is missing', () => {
    const { asarPath } = packagedLayout(false)
    const db = new Database(':memory:')
    try {
      const loaded = loadVectorExtension(db, () => asarPath)
      expect(loaded.ok).toBe(false)
      expect(!loaded.ok && loaded.reason).toMatch(
        /^sqlite-vec could not be loaded \(.*app\.asar\.unpacked.*\); search by meaning is off until it can be\.$/
      )
    } finally {
      db.close()
    }
  })
})
