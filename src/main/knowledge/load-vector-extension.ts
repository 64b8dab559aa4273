import { sep } from 'node:path'
import * as sqliteVec from 'sqlite-vec'
import type { Db } from '../db/database'

export type VectorExtension =
  | { readonly ok: true; readonly version: string; readonly path: string }
  | { readonly ok: false; readonly reason: string }

const ASAR = `${sep}app.asar${sep}`
const UNPACKED = `${sep}app.asar.unpacked${sep}`

/**
 * In a packaged app, sqlite-vec's package is inside `app.asar` and resolves
 * its library there; Electron can read that archive, but SQLite's dlopen
 * cannot. electron-builder unpacks the library beside the archive
 * (`asarUnpack`), so the same path under `app.asar.unpacked` is the file.
 */
export function unpackedPath(path: string): string {
  return path.includes(ASAR) ? path.replace(ASAR, UNPACKED) : path
}

/**
 * Loads sqlite-vec into the one connection, once, when the capability is
 * built. If it cannot load (an unsupported platform, a packaged app without
 * the unpacked library), the knowledge base still works by full text and
 * says why search by meaning is off.
 */
export function loadVectorExtension(db: Db, loadablePath: () => string = sqliteVec.getLoadablePath): VectorExtension {
  try {
    const path = unpackedPath(loadablePath())
    db.loadExtension(path)
    const { version } = db.prepare('SELECT vec_version() AS version').get() as { version: string }
    return { ok: true, version, path }
  } catch (error) {
    return {
      ok: false,
      reason: `sqlite-vec could not be loaded (${(error as Error).message}); search by meaning is off until it can be.`
    }
  }
}
