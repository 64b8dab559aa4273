import * as sqliteVec from 'sqlite-vec'
import type { Db } from '../db/database'

export type VectorExtension = { readonly ok: true; readonly version: string } | { readonly ok: false; readonly reason: string }

/**
 * Loads sqlite-vec into the one connection, once, when the capability is
 * built. If it cannot load (an unsupported platform, a packaged app without
 * the unpacked library), the knowledge base still works by full text and
 * says why search by meaning is off.
 */
export function loadVectorExtension(db: Db): VectorExtension {
  try {
    sqliteVec.load(db)
    const { version } = db.prepare('SELECT vec_version() AS version').get() as { version: string }
    return { ok: true, version }
  } catch (error) {
    return { ok: false, reason: `sqlite-vec could not be loaded (${(error as Error).message}); search by meaning is off until it can be.` }
  }
}
